"""pytest settings for the notebooks, which nbval re-executes in fresh
kernels.

The chapters multiply small matrices, for which a second BLAS thread costs
more in synchronisation than it gains (on a busy two-core machine, several
times more). The kernels inherit this environment;
scripts/execute_notebooks.py sets the same, so stored and fresh outputs are
computed alike.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
