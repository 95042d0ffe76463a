"""The WSGI entry point: ``gunicorn wsgi:app``.

Everything built so far (modules, the app, phone metadata) lives as long as
the process, so it is moved out of the garbage collector's generations:
each collection then walks only what requests allocate, not the whole
process. (Gunicorn imports this in each worker, after the fork.)
"""

import gc

from gateway import create_app

app = create_app()
gc.freeze()
