"""The API maps refusals in one place: forbidden and missing look alike (404), field errors are a
422 naming the fields, a rule of the object's state a 409 with the reason."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from matchmaking.api.urls import api


@pytest.fixture
def request_(rf):
    return rf.get("/api/anything")


def _answer(request, exc):
    response = api.on_exception(request, exc)
    return response.status_code, json.loads(response.content)


def test_forbidden_and_missing_look_alike(request_):
    assert _answer(request_, PermissionDenied("You may not do this.")) == _answer(request_, Http404("gone"))
    assert _answer(request_, Http404()) == (404, {"detail": "Not found."})


def test_field_errors_are_422_naming_the_fields(request_):
    status, body = _answer(request_, ValidationError({"seats": "Too many.", "__all__": "Check it."}))
    assert status == 422
    assert {"loc": ["body", "seats"], "msg": "Too many."} in body["detail"]
    assert {"loc": ["body"], "msg": "Check it."} in body["detail"]


def test_a_message_without_a_field_is_a_409(request_):
    status, body = _answer(request_, ValidationError("This exchange is proposed; it cannot be started now."))
    assert (status, body) == (409, {"detail": "This exchange is proposed; it cannot be started now."})
