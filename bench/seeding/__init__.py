"""bench/seed.py's parts, one module per kind of data.

The modules import models at the top: import them only after django.setup(),
as bench/seed.py does. Each function bulk-inserts one kind of rows and
returns what later kinds need; seed.py calls them in a fixed order, which
fixes the primary keys and the random sequence.
"""
