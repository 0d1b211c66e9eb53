"""``matchmaking api-token create``: make a personal API token for a person, from the command line.

``api-token create --user EMAIL [--scope read|write] [--days N] [--name NAME]`` prints the new token
once (it is stored only as a hash), so a program can be given one without the web page. The same rules
as the page apply: a role that needs a second factor must have set it up, and a token lasts 1 to 365
days. Like ``web``, this module imports what needs Django inside the functions, after
``django.setup()``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from matchmaking.cli.web import _django_setup

BAD_INPUT = 2


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "api-token",
        help="Make a personal API token.",
        description="Make a personal API token (list and revoke them on the API tokens page).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser(
        "create",
        help="Make a token for a person and print it once.",
        description="Make a token for a person and print it once; it acts with that person's permissions.",
    )
    p.add_argument("--user", required=True, metavar="EMAIL", help="the person the token acts for")
    p.add_argument("--scope", choices=("read", "write"), default="write", help="read, or read and write")
    p.add_argument("--days", type=int, default=None, help="lifetime in days, 1 to 365 (default: the setting)")
    p.add_argument("--name", default="command line", help="a name to recognise the token by")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    _django_setup()
    return cmd_create(args)


def cmd_create(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from matchmaking.accounts.models import User
    from matchmaking.accounts.services import SecondFactorRequired, api_token_create

    user = User.objects.filter(email__iexact=args.user.strip(), is_active=True).first()
    if user is None:
        sys.stderr.write(f"error: --user: no active account with the email {args.user!r}\n")
        return BAD_INPUT
    try:
        api_token, token = api_token_create(user=user, name=args.name, scope=args.scope, days=args.days)
    except SecondFactorRequired:
        sys.stderr.write(
            "error: --user: this person's role needs two-factor authentication; "
            "they must set it up before a token is made\n"
        )
        return BAD_INPUT
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                sys.stderr.write(f"error: --{field}: {message}\n")
        return BAD_INPUT
    sys.stdout.write(token + "\n")
    sys.stderr.write(
        f"{api_token.get_scope_display()} token for {user.email}, valid until "
        f"{api_token.expires_at:%Y-%m-%d %H:%M} UTC; it is shown only this once.\n"
    )
    return 0
