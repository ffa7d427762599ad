"""The Mozilla HTTP Observatory's scoring, for responses from Django's test client.

The rules and their modifiers follow the Observatory's grader (https://developer.mozilla.org/en-US/
observatory/docs/tests_and_scoring): every page starts at 100, each test adds a penalty or a bonus,
and bonuses count only when the penalties leave 90 or more. A+ is 100 or more.

Two rules are stricter than the Observatory's, and one is looser, as the site's brief asks:
- a Content Security Policy earns its bonus only with object-src 'none', frame-ancestors, base-uri
  and form-action all set (the Observatory reports these but does not score them);
- a session cookie is any cookie named like Django's (sessionid) or with "session" in its name;
- the HSTS bonus is given for the `preload` directive (with includeSubDomains and a year's max-age);
  the Observatory gives it only once the domain is on the browsers' preload list. `score()` can
  leave it out: `preload_listed=False`.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

SIX_MONTHS = 15_768_000
ONE_YEAR = 31_536_000
PRIVATE_REFERRER = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
UNSAFE_REFERRER = {"origin", "origin-when-cross-origin", "unsafe-url"}
VALID_REFERRER = PRIVATE_REFERRER | UNSAFE_REFERRER | {"no-referrer-when-downgrade"}
UNSAFE_SCRIPT_SOURCES = {"'unsafe-inline'", "data:", "*", "http:", "https:"}
GRADES = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+")]


@dataclass
class Result:
    test: str
    outcome: str
    modifier: int


def grade(score):
    return next((letter for floor, letter in GRADES if score >= floor), "F")


def score(https, http=None, cors=None, *, preload_listed=True):
    """(score, [Result]) for a page: its HTTPS response, the answer to the same URL over plain HTTP
    (for the redirection test) and the answer to a cross-origin request (for the CORS test)."""
    results = [
        content_security_policy(https),
        cookies(https),
        cross_origin_resource_sharing(cors),
        redirection(http, urlsplit(https.wsgi_request.build_absolute_uri()).hostname),
        referrer_policy(https),
        strict_transport_security(https, preload_listed=preload_listed),
        subresource_integrity(https),
        x_content_type_options(https),
        x_frame_options(https),
        cross_origin_resource_policy(https),
    ]
    base = 100 + sum(r.modifier for r in results if r.modifier < 0)
    if base >= 90:
        base += sum(r.modifier for r in results if r.modifier > 0)
    return base, results


def parse_csp(header):
    """{directive: [sources]}, or None if the policy repeats a directive (invalid)."""
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if not words:
            continue
        name = words[0].lower()
        if name in policy:
            return None
        policy[name] = [w.lower() for w in words[1:]]
    return policy


def content_security_policy(response):
    header = response.headers.get("Content-Security-Policy")
    if not header:
        return Result("content-security-policy", "csp-not-implemented", -25)
    policy = parse_csp(header)
    if not policy:
        return Result("content-security-policy", "csp-header-invalid", -25)
    default = policy.get("default-src", ["*"])
    script = policy.get("script-src", default)
    style = policy.get("style-src", default)
    passive = [s for d in ("img-src", "media-src") for s in policy.get(d, default)]
    if UNSAFE_SCRIPT_SOURCES & set(script):
        return Result("content-security-policy", "csp-implemented-with-unsafe-inline", -20)
    if "'unsafe-eval'" in script:
        return Result("content-security-policy", "csp-implemented-with-unsafe-eval", -10)
    if any(s.startswith("http:") for s in passive):
        return Result(
            "content-security-policy",
            "csp-implemented-with-insecure-scheme-in-passive-content-only",
            -10,
        )
    if "'unsafe-inline'" in style:
        return Result(
            "content-security-policy", "csp-implemented-with-unsafe-inline-in-style-src-only", 0
        )
    complete = (
        policy.get("object-src", default) == ["'none'"]
        and policy.get("frame-ancestors")
        and "*" not in policy["frame-ancestors"]
        and policy.get("base-uri") in (["'none'"], ["'self'"])
        and policy.get("form-action")
        and "*" not in policy["form-action"]
    )
    if not complete:
        return Result("content-security-policy", "csp-implemented-but-incomplete", 0)
    if default == ["'none'"]:
        return Result(
            "content-security-policy", "csp-implemented-with-no-unsafe-default-src-none", 10
        )
    return Result("content-security-policy", "csp-implemented-with-no-unsafe", 5)


def is_session_cookie(name):
    return name == "sessionid" or "session" in name.lower()


def cookies(response):
    jar = response.cookies
    if not jar:
        return Result("cookies", "cookies-not-found", 0)
    hsts = bool(response.headers.get("Strict-Transport-Security"))
    worst = Result("cookies", "cookies-secure-with-httponly-sessions-and-samesite", 5)
    for name, morsel in jar.items():
        session = is_session_cookie(name)
        samesite = str(morsel["samesite"]).lower()
        found = []
        if samesite and samesite not in {"strict", "lax", "none"}:
            found.append(Result("cookies", "cookies-samesite-flag-invalid", -20))
        if not morsel["secure"]:
            if session:
                found.append(
                    Result(
                        "cookies", "cookies-session-without-secure-flag-but-protected-by-hsts", -10
                    )
                    if hsts
                    else Result("cookies", "cookies-session-without-secure-flag", -40)
                )
            else:
                found.append(
                    Result("cookies", "cookies-without-secure-flag-but-protected-by-hsts", -5)
                    if hsts
                    else Result("cookies", "cookies-without-secure-flag", -20)
                )
        if session and not morsel["httponly"]:
            found.append(Result("cookies", "cookies-session-without-httponly-flag", -30))
        if "csrf" in name.lower() and not samesite:
            found.append(Result("cookies", "cookies-anticsrf-without-samesite-flag", -20))
        if not samesite and not found:
            found.append(Result("cookies", "cookies-secure-with-httponly-sessions", 0))
        for result in found:
            if result.modifier < worst.modifier:
                worst = result
    return worst


def cross_origin_resource_sharing(response):
    if response is None:
        return Result("cross-origin-resource-sharing", "not-tested", 0)
    origin = response.headers.get("Access-Control-Allow-Origin")
    if not origin:
        return Result(
            "cross-origin-resource-sharing", "cross-origin-resource-sharing-not-implemented", 0
        )
    credentials = response.headers.get("Access-Control-Allow-Credentials", "").lower() == "true"
    asked = response.wsgi_request.META.get("HTTP_ORIGIN")
    if origin == asked and credentials:
        return Result(
            "cross-origin-resource-sharing",
            "cross-origin-resource-sharing-implemented-with-universal-access",
            -50,
        )
    return Result(
        "cross-origin-resource-sharing",
        "cross-origin-resource-sharing-implemented-with-public-access",
        0,
    )


def redirection(response, host):
    if response is None:
        return Result("redirection", "not-tested", 0)
    if response.status_code not in (301, 302, 303, 307, 308):
        return Result("redirection", "redirection-missing", -20)
    target = urlsplit(response.headers["Location"])
    if target.scheme != "https":
        return Result("redirection", "redirection-not-to-https", -20)
    if target.hostname != host:
        return Result("redirection", "redirection-off-host-from-http", -5)
    return Result("redirection", "redirection-to-https", 0)


def referrer_policy(response):
    header = response.headers.get("Referrer-Policy")
    if header is None:
        return Result("referrer-policy", "referrer-policy-not-implemented", 0)
    values = [v.strip().lower() for v in header.split(",") if v.strip()]
    if not values or any(v not in VALID_REFERRER for v in values):
        return Result("referrer-policy", "referrer-policy-header-invalid", -5)
    if values[-1] in PRIVATE_REFERRER:
        return Result("referrer-policy", "referrer-policy-private", 5)
    if values[-1] in UNSAFE_REFERRER:
        return Result("referrer-policy", "referrer-policy-unsafe", -5)
    return Result("referrer-policy", "referrer-policy-no-referrer-when-downgrade", 0)


def strict_transport_security(response, *, preload_listed=True):
    header = response.headers.get("Strict-Transport-Security")
    if not header:
        return Result("strict-transport-security", "hsts-not-implemented", -20)
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            directives[name.lower()] = value.strip('"')
    if not re.fullmatch(r"\d+", directives.get("max-age", "")):
        return Result("strict-transport-security", "hsts-header-invalid", -20)
    max_age = int(directives["max-age"])
    if max_age < SIX_MONTHS:
        return Result(
            "strict-transport-security", "hsts-implemented-max-age-less-than-six-months", -10
        )
    if (
        preload_listed
        and "preload" in directives
        and "includesubdomains" in directives
        and max_age >= ONE_YEAR
    ):
        return Result("strict-transport-security", "hsts-preloaded", 5)
    return Result("strict-transport-security", "hsts-implemented-max-age-at-least-six-months", 0)


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def subresource_integrity(response):
    if "html" not in response.headers.get("Content-Type", ""):
        return Result("subresource-integrity", "sri-not-implemented-response-not-html", 0)
    parser = _Scripts()
    parser.feed(response.content.decode(response.charset or "utf-8", "replace"))
    host = response.wsgi_request.get_host()
    external = [
        s for s in parser.scripts if s.get("src") and urlsplit(s["src"]).netloc not in ("", host)
    ]
    if not parser.scripts:
        return Result("subresource-integrity", "sri-not-implemented-but-no-scripts-loaded", 0)
    if any(urlsplit(s["src"]).scheme == "http" for s in external):
        return Result(
            "subresource-integrity",
            "sri-not-implemented-and-external-scripts-not-loaded-securely",
            -50,
        )
    if any("integrity" not in s for s in external):
        return Result(
            "subresource-integrity", "sri-not-implemented-but-external-scripts-loaded-securely", -5
        )
    return Result(
        "subresource-integrity", "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0
    )


def x_content_type_options(response):
    header = response.headers.get("X-Content-Type-Options")
    if header is None:
        return Result("x-content-type-options", "x-content-type-options-not-implemented", -5)
    if header.strip().lower() != "nosniff":
        return Result("x-content-type-options", "x-content-type-options-header-invalid", -5)
    return Result("x-content-type-options", "x-content-type-options-nosniff", 0)


def x_frame_options(response):
    policy = parse_csp(response.headers.get("Content-Security-Policy", "")) or {}
    ancestors = policy.get("frame-ancestors")
    if ancestors and "*" not in ancestors:
        return Result("x-frame-options", "x-frame-options-implemented-via-csp", 5)
    header = response.headers.get("X-Frame-Options")
    if header is None:
        return Result("x-frame-options", "x-frame-options-not-implemented", -20)
    value = header.strip().lower()
    if value in ("deny", "sameorigin"):
        return Result("x-frame-options", "x-frame-options-sameorigin-or-deny", 0)
    if value.startswith("allow-from "):
        return Result("x-frame-options", "x-frame-options-allow-from-origin", 0)
    return Result("x-frame-options", "x-frame-options-header-invalid", -20)


def cross_origin_resource_policy(response):
    header = response.headers.get("Cross-Origin-Resource-Policy")
    if header is None:
        return Result("cross-origin-resource-policy", "corp-not-implemented", 0)
    if header.strip().lower() not in ("same-site", "same-origin", "cross-origin"):
        return Result("cross-origin-resource-policy", "corp-header-invalid", -5)
    return Result(
        "cross-origin-resource-policy", f"corp-implemented-with-{header.strip().lower()}", 0
    )
