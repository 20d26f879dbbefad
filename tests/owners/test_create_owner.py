import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gis_service.owners.models import Owner


@pytest.mark.django_db
def test_it_creates_an_owner_and_leaves_an_existing_slug_as_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("create_owner", "Gemeente Hilversum", kind="gemeente", slug="hilversum")
    call_command("create_owner", "Another Name", kind="woningcorporatie", slug="hilversum")
    owner = Owner.objects.get()
    assert (owner.slug, owner.name, owner.kind) == ("hilversum", "Gemeente Hilversum", "gemeente")
    assert "eigenaar bestaat al, ongewijzigd gelaten: hilversum" in capsys.readouterr().out  # LANGUAGE_CODE: Dutch


@pytest.mark.django_db
def test_it_derives_the_slug_from_the_name_when_none_is_given() -> None:
    call_command("create_owner", "Woonstichting De Key", kind="woningcorporatie")
    assert Owner.objects.get().slug == "woonstichting-de-key"


@pytest.mark.django_db
def test_it_refuses_an_unknown_kind() -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("create_owner", "X", kind="provincie", slug="x")
    assert not Owner.objects.exists()
