"""Roles, and the rules every app's ``access.py`` builds on. Default deny.

``roles`` says who holds which role in which organisation; each app decides who may see or change its
own objects in its ``access.py`` (``can_*`` answer yes or no; ``access_*`` fetch an object for a user
and raise ``Http404`` both when it does not exist and when the user may not see it).
"""
