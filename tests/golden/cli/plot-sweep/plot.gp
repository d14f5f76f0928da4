# Drawn by rung plot; 'gnuplot plot.gp' in this directory draws it again.
set encoding utf8
set terminal dumb size 100,32 noenhanced
set output 'sweep.txt'
set tics nomirror
set title 'mq: how early acc at step 20 can be predicted' . "\n" . 'nu-SVR on each curve''s first steps, raw features, 160 training trials, 1 repeat'
set xlabel 'prefix: share of the curve the predictor sees (%)'
set x2label 'prefix (steps)'
set ylabel 'score on the held-out trials'
set xrange [0:100]
set link x2
set x2tics ('2' 10.0, '4' 20.0, '6' 30.0, '8' 40.0, '10' 50.0, '12' 60.0, '14' 70.0, '16' 80.0, '18' 90.0)
set yrange [0.7:1.0]
set key outside below center horizontal
plot 'sweep.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'R²', \
     'sweep.dat' using 1:4 with linespoints lw 2 pt 5 lc rgb '#ff7f0e' title 'Kendall τ'
