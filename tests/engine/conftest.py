"""Engine tests are pure: no database and no Django, so there is deliberately nothing to set up here.

The repository-wide pytest configuration names a Django settings module; these tests never ask for
a ``db`` fixture, so Django is never touched. Property tests set their own modest example counts.
"""
