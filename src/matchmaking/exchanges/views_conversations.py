"""Pages of conversations between two organisations: the list, one conversation, starting one from a
profile (the Contact button) and an attachment, served only to the members of the two organisations."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from matchmaking.exchanges import conversations
from matchmaking.exchanges.access import (
    access_conversation,
    access_conversation_attachment,
    conversation_sides,
)
from matchmaking.exchanges.models import ATTACHMENT_EXTENSIONS, ATTACHMENT_MAX_BYTES
from matchmaking.forms import show_service_errors
from matchmaking.mobility.access import access_opportunity
from matchmaking.organisations.access import access_organisation
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import roles_of

ATTACHMENT_HELP = gettext_lazy("Optional. At most %(mb)s MB; %(types)s.") % {
    "mb": ATTACHMENT_MAX_BYTES // (1024 * 1024),
    "types": ", ".join(ATTACHMENT_EXTENSIONS),
}


class ConversationMessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    attachment = forms.FileField(label=gettext_lazy("Attachment"), required=False, help_text=ATTACHMENT_HELP)


class ConversationStartForm(ConversationMessageForm):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    field_order = ["subject", "body", "attachment"]


@login_required
@require_GET
def conversation_list(request: HttpRequest) -> HttpResponse:
    items = conversations.conversations_of(request.user)[:200]
    mine = set(roles_of(request.user))
    rows = [(c, c.second if c.first_id in mine else c.first) for c in items]
    return render(request, "exchanges/conversation_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = access_conversation(request.user, pk)
    form = ConversationMessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversations.conversation_post(
                actor=request.user,
                conversation=conversation,
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect(conversation.get_absolute_url() + "#thread")
    sides = conversation_sides(request.user, conversation)
    other = conversation.second if conversation.first_id in sides else conversation.first
    context = {
        "conversation": conversation,
        "other": other,
        "thread": conversations.messages_of(conversation),
        "my_side_ids": sides,
        "form": form,
    }
    return render(request, "exchanges/conversation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def conversation_start(request: HttpRequest, key: str) -> HttpResponse:
    """Contact an organisation: continue the latest conversation with it, or start one. A person in
    several organisations chooses which one writes."""
    other = access_organisation(request.user, key)
    mine = list(Organisation.objects.filter(pk__in=set(roles_of(request.user)) - {other.pk}).order_by("name"))
    if not mine:
        raise Http404("No organisation to write for.")
    opportunity = None
    if request.GET.get("about"):
        opportunity = access_opportunity(request.user, request.GET["about"])
    if request.method == "GET" and not request.GET.get("new") and opportunity is None:
        latest = conversations.conversations_of(request.user).filter(Q(first=other) | Q(second=other)).first()
        if latest is not None:
            return redirect(latest.get_absolute_url())
    initial = {"subject": str(opportunity) if opportunity is not None else "", "organisation": mine[0].key}
    form = ConversationStartForm(request.POST or None, request.FILES or None, initial=initial)
    if len(mine) > 1:
        form.fields["organisation"] = forms.ChoiceField(
            label=gettext_lazy("Write for"), choices=[(o.key, o.name) for o in mine]
        )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("organisation") or mine[0].key
        organisation = next(o for o in mine if o.key == chosen)
        try:
            conversation = conversations.conversation_start(
                actor=request.user,
                organisation=organisation,
                other=other,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                opportunity=opportunity,
                attachment=form.cleaned_data["attachment"],
            )
        except PermissionDenied as exc:
            raise Http404("No organisation to write for.") from exc
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect(conversation.get_absolute_url())
    context = {"form": form, "other": other, "organisations": mine, "opportunity": opportunity}
    return render(request, "exchanges/conversation_start.html", context)


@login_required
@require_GET
def conversation_attachment(request: HttpRequest, pk: int, message_id: int) -> FileResponse:
    message = access_conversation_attachment(request.user, pk, message_id)
    response = FileResponse(
        message.attachment.open("rb"), as_attachment=True, filename=message.attachment_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
