# optuna.load_study(...).trials of a storage made by optuna-gen.py, timed
# inside Python: writes "seconds-of-load seconds-of-import-optuna" to OUT.
#
#   python3 optuna-load.py PATH N STEPS OUT
import sys
import time
import warnings

t0 = time.time()
import optuna
optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.simplefilter("ignore")
t1 = time.time()
trials = optuna.load_study(study_name="bench",
                           storage="sqlite:///" + sys.argv[1]).trials
t2 = time.time()
n = sum(len(t.intermediate_values) for t in trials)
assert len(trials) == int(sys.argv[2]), len(trials)
assert n == int(sys.argv[2]) * int(sys.argv[3]), n
with open(sys.argv[4], "w") as f:
    f.write("%.3f %.3f\n" % (t2 - t1, t1 - t0))
