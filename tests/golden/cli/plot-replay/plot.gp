# Drawn by rung plot; 'gnuplot plot.gp' in this directory draws it again.
set encoding utf8
set terminal dumb size 100,32 noenhanced
set output 'replay.txt'
set tics nomirror
set multiplot layout 1,3 title 'noisy: replay 2, 2 seeds of hyperband, asha' . "\n" . 'eta 3, max_r 40, 1 worker'
set key outside below center horizontal samplen 2
set title 'compute against the final value returned' . "\n" . '(bars: range over seeds)'
set xlabel 'compute per replay (steps)'
set xtics 20.0
set ylabel 'true final loss of the trial returned'
plot 'seeds.dat' index 0 using 1:2 with points pt 6 ps 0.7 lc rgb '#1f77b4' notitle, \
     'mean.dat' index 0 using 1:2:3:4:5:6 with xyerrorbars lw 2 pt 7 ps 1.2 lc rgb '#1f77b4' title 'hyperband', \
     'seeds.dat' index 1 using 1:2 with points pt 6 ps 0.7 lc rgb '#ff7f0e' notitle, \
     'mean.dat' index 1 using 1:2:3:4:5:6 with xyerrorbars lw 2 pt 7 ps 1.2 lc rgb '#ff7f0e' title 'asha', \
     0.097711 with lines dt 2 lc rgb '#555555' title 'the pool''s best'
set title 'best so far against simulated time' . "\n" . '(mean over seeds)'
set xtics 200.0
set xlabel 'simulated time (steps)'
set ylabel 'final loss of the best so far'
set xrange [0:511.0]
plot 'best.dat' index 0 using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'hyperband', \
     'best.dat' index 1 using 1:2 with steps lw 2 lc rgb '#ff7f0e' title 'asha', \
     0.097711 with lines dt 2 lc rgb '#555555' title 'the pool''s best'
set title 'regret against compute' . "\n" . '(mean over seeds; 0: the pool''s best)'
set xtics 200.0
set xlabel 'compute (steps)'
set ylabel 'regret of the best so far (loss)'
set xrange [0:511.0]
plot 'regret.dat' index 0 using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'hyperband', \
     'regret.dat' index 1 using 1:2 with steps lw 2 lc rgb '#ff7f0e' title 'asha'
unset multiplot
