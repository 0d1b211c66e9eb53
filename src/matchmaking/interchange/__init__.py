"""The interchange format: versioned JSON for importing and exporting the network's data.

``document`` reads and validates a file into plain records without Django (the engine's command line
uses it too); ``services`` writes a validated document into the database, all or nothing, and
``selectors`` builds a document from the database for export.
"""
