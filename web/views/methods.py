"""The methods a page with a form answers: shown (GET, HEAD) and sent (POST); PUT, PATCH and DELETE
get 405 with Allow, rather than the page as if they had been done (tests/test_every_write_url.py).
Pages without a form take `require_safe`, actions without a page `require_POST`."""

from django.views.decorators.http import require_http_methods

require_form_page = require_http_methods(["GET", "HEAD", "POST"])
