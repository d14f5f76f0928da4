# Drawn by rung plot; 'gnuplot plot.gp' in this directory draws it again.
set encoding utf8
set terminal dumb size 100,32 noenhanced
set output 'pred.txt'
set tics nomirror
set title 'mq: acc at step 20 predicted from steps 1-5 (nu-SVR, raw features)' . "\n" . 'R² 0.944, Kendall τ 0.892 on 40 test trials (160 training trials)'
set xlabel 'actual acc at step 20'
set ylabel 'predicted acc at step 20'
set xrange [0.384432:0.8479679999999999]
set yrange [0.384432:0.8479679999999999]
set size square
set key inside top left Left reverse box opaque
plot 'points.dat' using 1:2 with points pt 7 ps 0.6 lc rgb '#1f77b4' title 'test trials (40)', \
     x with lines dt 2 lw 1.5 lc rgb '#555555' title 'y = x'
