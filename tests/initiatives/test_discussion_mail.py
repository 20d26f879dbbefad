"""Initiators hear of a new post or help offer by e-mail, each in their own language, through the
real worker and SMTP server; the writer is not mailed about their own post."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from gis_service.initiatives import services
from tests.conftest import SmtpServer, _user
from tests.initiatives.factories import filed_initiative, professional_of


@pytest.mark.django_db(transaction=True)
def test_initiators_are_mailed_in_their_language_of_a_post_and_an_offer(
    owner_a, regisseur_a, resident, smtp_server: SmtpServer, celery_worker: str
) -> None:
    smtp_server.clear()
    initiative = filed_initiative(owner_a, resident, plan="Bloemen bij de bushalte")
    smtp_server.wait_for(1)  # the regisseur's mail of the new initiative, before counting ours
    neighbour = _user("neighbour_en", language="en")
    smtp_server.clear()
    services.initiative_join(initiative=initiative, user=neighbour, token=initiative.invite_token)
    (joined,) = smtp_server.wait_for(1)  # the initiator hears that a neighbour joined; the neighbour is not mailed
    assert joined["To"] == resident.email and joined["Subject"] == "Een buur doet mee met je bewonersinitiatief"
    assert "Bloemen bij de bushalte" in joined.get_content() and neighbour.email not in joined.get_content()
    services.initiative_join(initiative=initiative, user=neighbour, token=initiative.invite_token)  # the link again
    writer = _user("writer_w")
    smtp_server.clear()
    post = services.initiative_post_create(initiative=initiative, author=writer, body="Mooi plan")
    mails = {message["To"]: message for message in smtp_server.wait_for(2)}
    assert set(mails) == {resident.email, neighbour.email}  # one mail per language, never a shared To: line
    assert mails[resident.email]["Subject"] == "Nieuw bericht bij je bewonersinitiatief"
    with translation.override("en"):
        assert mails[neighbour.email]["Subject"] == gettext("Nieuw bericht bij je bewonersinitiatief")
    body = mails[resident.email].get_content()
    assert "Bloemen bij de bushalte" in body and f"/initiatief/{initiative.pk}/#post-{post.pk}" in body
    assert "Mooi plan" not in body and writer.email not in body  # read it on the page, moderated

    smtp_server.clear()
    services.initiative_post_create(initiative=initiative, author=resident, body="Dank je!")
    (only,) = smtp_server.wait_for(1)
    assert only["To"] == neighbour.email  # the writer is not told of their own post

    smtp_server.clear()
    adviser = professional_of(owner_a)
    services.help_offer_create(initiative=initiative, professional=adviser, function="groenadviseur", offer="Advies")
    offers = smtp_server.wait_for(2)
    assert {message["To"] for message in offers} == {resident.email, neighbour.email}
    assert all(f"/initiatief/{initiative.pk}/#help-" in message.get_content() for message in offers)
