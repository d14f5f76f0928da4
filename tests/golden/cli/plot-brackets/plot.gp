# Drawn by rung plot; 'gnuplot plot.gp' in this directory draws it again.
set encoding utf8
set terminal dumb size 100,32 noenhanced
set output 'brackets.txt'
set tics nomirror
set grid noytics
set title 'syn: how far hyperband ran each configuration (seed 0)' . "\n" . '143 configurations, 1944 steps (eta 3, steps 1 to 100, 1 worker)'
set xlabel 'step reached'
set ylabel 'configurations (by step reached, then value)'
set cblabel 'loss at the step reached'
set xrange [0:104.0]
set yrange [143.7:0.3]
set link x2
set x2tics ('1' 1.0, '4' 4.0, '11' 11.0, '33' 33.0, '100' 100.0)
set x2label 'milestones: where the policy judges (steps)'
set arrow from 1.0, graph 0 to 1.0, graph 1 nohead dt 2 lc rgb '#808080' back
set arrow from 4.0, graph 0 to 4.0, graph 1 nohead dt 2 lc rgb '#808080' back
set arrow from 11.0, graph 0 to 11.0, graph 1 nohead dt 2 lc rgb '#808080' back
set arrow from 33.0, graph 0 to 33.0, graph 1 nohead dt 2 lc rgb '#808080' back
set arrow from 100.0, graph 0 to 100.0, graph 1 nohead dt 2 lc rgb '#808080' back
set palette defined (0 '#1a9850', 0.5 '#fee08b', 1 '#d73027')
set key outside below center horizontal
plot 'bars.dat' using ($2/2.0):1:($2/2.0):(0.36):3 with boxxyerror fs solid 0.9 noborder lc palette notitle, \
     'returned.dat' using 1:2 with points pt 3 ps 2.5 lw 2 lc rgb '#000000' title 'returned: trial t97, final 0.01'
