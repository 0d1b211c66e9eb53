"""The matching engine: plain data in, scores, rankings, allocations and explanations out.

Pure Python with numpy/scipy (and OR-Tools for optimisation). It never imports Django, so it can be
used as a library, from the command line on files, and inside the web app alike.
"""
