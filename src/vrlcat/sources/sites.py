"""Which redirect targets `check-links --fix` may write into the catalog.

A permanent redirect is rewritten only when it stays on the same site (same
registrable domain, or http -> https on the same host and path), does not land on
a login or consent page, and ends at a URL lint would accept. Everything else is
reported and left as written: a domain that now redirects to a parking page or
to another owner's site must not silently change the list."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

# Public suffixes with more than one label that papers' pages commonly use, and hosting
# suffixes under which every subdomain belongs to someone else (user.github.io).
_MULTI_LABEL_SUFFIXES = frozenset({
    "ac.uk", "co.uk", "org.uk", "gov.uk", "ac.jp", "co.jp", "or.jp", "ac.kr", "co.kr", "re.kr", "edu.cn",
    "com.cn", "org.cn", "ac.cn", "edu.hk", "com.hk", "edu.sg", "com.sg", "edu.au", "com.au", "org.au",
    "ac.il", "co.il", "ac.in", "co.in", "edu.tw", "com.tw", "com.br", "ac.nz", "co.nz", "ac.at", "ac.za",
    "github.io", "gitlab.io", "netlify.app", "vercel.app", "pages.dev", "web.app", "firebaseapp.com",
    "herokuapp.com", "readthedocs.io", "hf.space", "streamlit.app", "notion.site", "azurewebsites.net",
    "blogspot.com", "wordpress.com", "medium.com", "substack.com", "googleusercontent.com",
})
_LOGIN_WORDS = re.compile(
    r"(^|[/_.?&=-])(login|log-in|logon|signin|sign-in|sign_in|sso|oauth2?|authorize|auth|cas|saml|"
    r"consent|cookie-?consent|gdpr|session/new|accounts?/login|challenge|captcha)([/_.?&=#-]|$)", re.IGNORECASE)
_LOGIN_HOSTS = ("login.", "accounts.", "auth.", "sso.", "signin.", "consent.", "idp.", "shibboleth.")
_LINT_CLEAN_URL = re.compile(r"^https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d{1,5})?(?:[/?#][^\s\x00-\x1f\x7f]*)?$")


def registrable_domain(host: str) -> str:
    """`a.b.example.co.uk` -> `example.co.uk`; an IP address is its own site."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.split(".")
    keep = 3 if ".".join(labels[-2:]) in _MULTI_LABEL_SUFFIXES else 2
    return ".".join(labels[-keep:])


def is_login_page(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return host.startswith(_LOGIN_HOSTS) or bool(_LOGIN_WORDS.search(f"{parts.path}?{parts.query}"))


def is_clean_url(url: str) -> bool:
    """An http(s) URL with a dotted host and no spaces or control characters (what lint accepts)."""
    if not _LINT_CLEAN_URL.match(url):
        return False
    try:
        port = urlsplit(url).port
    except ValueError:
        return False
    return port != 0


def why_not_rewritten(old: str, new: str) -> str | None:
    """None when `--fix` may replace `old` by `new`; else the reason, for the report."""
    if not is_clean_url(new):
        return "the new address is malformed"
    if is_login_page(new):
        return "it leads to a login or consent page"
    before, after = urlsplit(old), urlsplit(new)
    old_host, new_host = (before.hostname or "").lower(), (after.hostname or "").lower()
    upgrade = (before.scheme, after.scheme) == ("http", "https") and old_host == new_host \
        and before.path.rstrip("/") == after.path.rstrip("/")
    if not upgrade and registrable_domain(old_host) != registrable_domain(new_host):
        return "it leads to another site"
    return None
