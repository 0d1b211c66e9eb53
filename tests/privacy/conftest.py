from tests.caseload import world  # noqa: F401 - the shared case-work fixture
