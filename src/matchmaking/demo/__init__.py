"""Demo data of the network: organisations, opportunities and logins for trying the tool.

The content lives in ``data/network.json``. Opportunity dates are stored as days from "today"
(``earliest_in_days``/``latest_in_days``) so the demo never goes stale; ``network.build_demo_document``
turns them into an interchange document (format version 1) for a given date. Pure Python, no Django.
"""
