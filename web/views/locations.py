"""The public map, a location's page and its marker."""

from __future__ import annotations

import logging
from dataclasses import replace
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe

from gis_service.contracts.services.rules import may_direct
from gis_service.core.maps import background_attribution
from gis_service.groups import selectors as group_selectors
from gis_service.locations.models import Location
from ogc.collections import published_labels
from web import geocoder, marker, og, og_image, selectors
from web.forms import MapFilterForm

logger = logging.getLogger(__name__)


@require_safe
def map_list_in_view(request: HttpRequest) -> HttpResponse:
    """The list beside the map: what lies in the view (`?bbox=west,south,east,north`, CRS84), with
    the map's filters, a page (`?pagina=`) at a time. An HTML fragment the map's script puts in place."""
    return list_in_view(request, "web/_map_list.html")


def list_in_view(request: HttpRequest, template: str) -> HttpResponse:
    """A page of the locations in the view (`?bbox=`, `?pagina=`, the map's filters) rendered with
    `template`: the public map's list and the initiative page's checkboxes read the same selector."""
    form, filters, _tiles, status = _map_filters(request)
    try:
        west, south, east, north = (float(part) for part in request.GET.get("bbox", "").split(","))
        page = int(request.GET.get("pagina", "1"))
    except ValueError:
        return HttpResponse(
            _("De lijst heeft een kaartuitsnede (bbox=west,zuid,oost,noord) en een paginanummer nodig."), status=400
        )
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90) or page < 1:
        return HttpResponse(_("Deze kaartuitsnede of pagina bestaat niet."), status=400)
    widest = settings.MAP_VIEW_MAX_DEGREES
    if east - west > widest or north - south > widest:
        return HttpResponse(_("Zoom in om de locaties in beeld als lijst te zien."), status=400)
    if status != 200:
        return HttpResponse(_("Dit filter bestaat niet; kies een van de mogelijkheden."), status=status)
    filters = replace(filters, view=(west, south, east, north))
    page_size = settings.MAP_VIEW_PAGE_SIZE
    offset = (page - 1) * page_size
    counted = offset + settings.MAP_VIEW_COUNT_LIMIT
    locations, count = selectors.map_list(limit=page_size, filters=filters, offset=offset, count_up_to=counted)
    return render(
        request,
        template,
        {
            "locations": locations,
            "count": min(count, counted),
            "more": count > counted,
            "page": page,
            "first": offset + 1,
            "last": offset + len(locations),
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if offset + len(locations) < count else None,
        },
    )


@require_GET
def address_search(request: HttpRequest) -> HttpResponse:
    """Places for the map's address search (`?adres=`), as JSON: where the map moves to."""
    text = request.GET.get("adres", "").strip()
    if not text or len(text) > 200:
        return JsonResponse({"error": _("Typ een adres, postcode of plaats (hooguit 200 tekens).")}, status=400)
    try:
        places = geocoder.search(text)
    except geocoder.GeocoderError:
        logger.warning("geocoder failed for the map's address search", exc_info=True)
        return JsonResponse({"error": _("Het zoeken op adres lukt nu niet; probeer het later opnieuw.")}, status=502)
    if not places:
        return JsonResponse({"error": _("Geen adres gevonden voor “%(text)s”.") % {"text": text}}, status=404)
    return JsonResponse({"places": [{"name": p.name, "type": p.kind, "lon": p.lon, "lat": p.lat} for p in places]})


def _map_filters(request: HttpRequest) -> tuple[MapFilterForm, selectors.MapFilters, dict[str, str], int]:
    """The map's filters from the query string: the form, the filters for the list, those for the
    tiles (as the feed names them) and the status to answer with (400 for a filter we cannot honour)."""
    owners = selectors.map_owners()
    form = MapFilterForm(
        request.GET or None, types=selectors.location_types(), owners=[(slug, name) for _, slug, name in owners]
    )
    filters = selectors.MapFilters()
    tile_filters: dict[str, str] = {}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400  # a filter we cannot honour is said so (the form shows which), never ignored
    elif form.is_bound:
        data = form.cleaned_data
        owner = next(((pk, name) for pk, slug, name in owners if slug == data["owner"]), None)
        filters = selectors.MapFilters(
            type=data["type"], status=data["status"], owner_id=owner[0] if owner else None, search=data["q"]
        )
        if data["q"]:
            tile_filters["q"] = data["q"]
        # The tiles select on what the feed publishes: the status's label and the owner's name.
        if data["type"]:
            tile_filters["type"] = data["type"]
        if data["status"]:
            tile_filters["status"] = dict(published_labels(Location.Status))[data["status"]]
        if owner:
            tile_filters["owner"] = owner[1]
    return form, filters, tile_filters, status


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    """The public map of zelfbeheer locations, with the same locations as a list; both filtered alike."""
    form, filters, tile_filters, status = _map_filters(request)
    locations, location_count = selectors.map_list(limit=settings.MAP_LIST_LIMIT, filters=filters)
    return render(
        request,
        "web/map.html",
        {
            "form": form,
            "list_max_degrees": settings.MAP_VIEW_MAX_DEGREES,
            "filtered": bool(filters),
            "tile_filters": urlencode(tile_filters),
            "locations": locations,
            "location_count": location_count,
            "statuses": Location.Status.choices,
            "og": og.for_home(),
            "extent": selectors.map_extent(filters),
            "background_url": settings.MAP_BACKGROUND_URL,
            "background_attribution": background_attribution(),
        },
        status=status,
    )


@require_GET
@cache_control(max_age=3600, public=True)
def home_image(request: HttpRequest) -> HttpResponse:
    """The home page's link preview picture: every location residents manage."""
    return HttpResponse(og_image.overview_png(), content_type="image/png")


@require_GET
@cache_control(max_age=3600, public=True)
def location_image(request: HttpRequest, location_id: int) -> HttpResponse:
    """A location's link preview picture: its shape on a small map."""
    location = location_or_404(location_id)
    return HttpResponse(og_image.location_png(location), content_type="image/png")


def location_or_404(location_id: int) -> Location:
    try:
        return selectors.location_for_page(location_id)
    except Location.DoesNotExist:
        raise Http404(_("Deze locatie bestaat niet.")) from None


@require_safe
def location_page(request: HttpRequest, location_id: int) -> HttpResponse:
    """What a resident reads after scanning the marker: info, conditions, sign-up, group, share."""
    location = location_or_404(location_id)
    return render(
        request,
        "web/location.html",
        {
            "location": location,
            "geojson": selectors.location_geojson(location),
            "group": group_selectors.group_for_location(location.pk),
            "offer": selectors.location_offer(location),
            "mine": selectors.my_contract(location, request.user),
            "public_url": marker.location_public_url(location),
            "directs": may_direct(request.user, location.owner_id),
            "og": og.for_location(location),
        },
    )


@require_GET
@cache_control(max_age=3600, public=True)
def marker_svg(request: HttpRequest, location_id: int) -> HttpResponse:
    """The QR code of the marker as an SVG file, for the sign maker."""
    location = location_or_404(location_id)
    response = HttpResponse(marker.marker_qr_svg(location), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="bord-locatie-{location.pk}.svg"'
    return response


@require_safe
def marker_pdf(request: HttpRequest, location_id: int, paper: str) -> HttpResponse:
    """The marker as a print-ready PDF, A4 or A5 (`bord-a4.pdf`, `bord-a5.pdf`)."""
    location = location_or_404(location_id)
    if paper.upper() not in marker.PAPER:
        raise Http404(_("Het bord is er in A4 en A5."))
    response = HttpResponse(marker.marker_pdf(location, paper=paper.upper()), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bord-locatie-{location.pk}-{paper.lower()}.pdf"'
    return response


@require_safe
def marker_png(request: HttpRequest, location_id: int) -> HttpResponse:
    """The marker as a PNG image."""
    location = location_or_404(location_id)
    response = HttpResponse(marker.marker_png(location), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="bord-locatie-{location.pk}.png"'
    return response


@require_safe
def marker_page(request: HttpRequest, location_id: int) -> HttpResponse:
    """A printable A4 marker: 'Beheerd door bewoners', the name and the QR code."""
    location = location_or_404(location_id)
    return render(
        request,
        "web/marker.html",
        {
            "location": location,
            "qr_svg": marker.marker_qr_svg(location, scale=12, scalable=True),
            "public_url": marker.location_public_url(location),
        },
    )
