# Drawn by rung plot; 'gnuplot plot.gp' in this directory draws it again.
set encoding utf8
set terminal dumb size 100,32 noenhanced
set output 'kept.txt'
set tics nomirror
set multiplot layout 1,3 title 'mq: replay 1, 2 seeds of asha, hyperband' . "\n" . 'eta 3, max_r 20, 1 worker'
set key outside below center horizontal samplen 2
set title 'compute against the final value returned' . "\n" . '(bars: range over seeds)'
set xlabel 'compute per replay (steps)'
set xtics 50.0
set ylabel 'true final acc of the trial returned'
plot 'seeds.dat' index 0 using 1:2 with points pt 6 ps 0.7 lc rgb '#1f77b4' notitle, \
     'mean.dat' index 0 using 1:2:3:4:5:6 with xyerrorbars lw 2 pt 7 ps 1.2 lc rgb '#1f77b4' title 'asha', \
     'seeds.dat' index 1 using 1:2 with points pt 6 ps 0.7 lc rgb '#ff7f0e' notitle, \
     'mean.dat' index 1 using 1:2:3:4:5:6 with xyerrorbars lw 2 pt 7 ps 1.2 lc rgb '#ff7f0e' title 'hyperband', \
     0.8308 with lines dt 2 lc rgb '#555555' title 'the pool''s best'
set title 'best so far against simulated time' . "\n" . '(mean over seeds)'
set xtics 100.0
set xlabel 'simulated time (steps)'
set ylabel 'final acc of the best so far'
set xrange [0:154.0]
plot 'best.dat' index 0 using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'asha', \
     'best.dat' index 1 using 1:2 with steps lw 2 lc rgb '#ff7f0e' title 'hyperband', \
     0.8308 with lines dt 2 lc rgb '#555555' title 'the pool''s best'
set title 'regret against compute' . "\n" . '(mean over seeds; 0: the pool''s best)'
set xtics 100.0
set xlabel 'compute (steps)'
set ylabel 'regret of the best so far (acc)'
set xrange [0:154.0]
plot 'regret.dat' index 0 using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'asha', \
     'regret.dat' index 1 using 1:2 with steps lw 2 lc rgb '#ff7f0e' title 'hyperband'
unset multiplot
