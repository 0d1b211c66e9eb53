"""Code lists, NUTS regions and ESCO: the shared vocabulary of the network.

The data files live in ``data/``. ``codelists``, ``regions`` and ``esco`` read them without Django so
the engine and the command line can use them; the Django app adds them to the database for the UI.
"""
