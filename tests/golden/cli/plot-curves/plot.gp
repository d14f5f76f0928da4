# Drawn by rung plot; 'gnuplot plot.gp' in this directory draws it again.
set encoding utf8
set terminal dumb size 100,32 noenhanced
set output 'curves.txt'
set tics nomirror
set title 'mq: acc by step' . "\n" . '5 trials (the top by best value); the best, trial 88, reaches 0.8308'
set xlabel 'step'
set ylabel 'acc'
set key outside right top vertical Left reverse
plot 'sel.dat' index 0 using 1:2 with lines lw 2.5 lc rgb '#1f77b4' title 'trial 88 (best)', \
     'sel.dat' index 1 using 1:2 with lines lw 1.2 lc rgb '#ff7f0e' title 'trial 148', \
     'sel.dat' index 2 using 1:2 with lines lw 1.2 lc rgb '#2ca02c' title 'trial 72', \
     'sel.dat' index 3 using 1:2 with lines lw 1.2 lc rgb '#d62728' title 'trial 189', \
     'sel.dat' index 4 using 1:2 with lines lw 1.2 lc rgb '#9467bd' title 'trial 106'
