"""Django's Content Security Policy and messages middleware, doing on each request only what the
request needs: every page served from the page cache goes through them (bench/served.py).

- `ContentSecurityPolicyMiddleware` writes each policy once per process, not once per response,
  while no nonce is used (a nonce is only used where the admin's rich-text editor needs it, and
  never on a cached page): the same header, 6 µs less a response.
- `MessageMiddleware` makes a request's message storage when something asks for it (a message
  added or read), not for every request: a page with no messages cookie never reads one
  (seslip/lib/personal.py `no_messages_waiting`).
"""

import copy
from typing import Any

from django.conf import settings
from django.contrib.messages import middleware as messages
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.middleware import csp
from django.utils.csp import CSP, build_policy
from django.utils.functional import SimpleLazyObject, empty

# (a copy of the config, its policy without a nonce), by header
written_policies: dict[str, tuple[Any, str]] = {}
UNSET = object()


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    """Django's, with the policy of a response that used no nonce written once per process
    for each config (compared with a copy of it: a changed setting writes it again)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if csp.get_nonce(request):  # used by this response: its own policy, Django's way
            return super().process_response(request, response)
        for header, setting, attribute in (
            (CSP.HEADER_ENFORCE, "SECURE_CSP", "_csp_config"),
            (CSP.HEADER_REPORT_ONLY, "SECURE_CSP_REPORT_ONLY", "_csp_ro_config"),
        ):
            config: Any = getattr(response, attribute, UNSET)
            if config is UNSET:
                config = getattr(settings, setting)
            if config and header not in response:
                response.headers[str(header)] = policy(str(header), config)
        return response


def policy(header: str, config: dict[str, Any]) -> str:
    """build_policy(config) with no nonce, written again only when `config` changed."""
    written = written_policies.get(header)
    if written is None or written[0] != config:
        written = (copy.deepcopy(config), build_policy(config, None))
        written_policies[header] = written
    return written[1]


class MessageMiddleware(messages.MessageMiddleware):
    """Django's, with the storage made on first use: a request that adds and reads no message
    neither makes one nor stores anything."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not storage_made(request):
            return response
        return super().process_response(request, response)


def storage_made(request: HttpRequest) -> bool:
    """Whether this request's message storage was made (something added or read a message);
    True for a storage that is not lazy."""
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    return not isinstance(storage, SimpleLazyObject) or storage._wrapped is not empty
