"""The address policy: which addresses the crawler refuses, and what an operator can open."""

from __future__ import annotations

import pytest

from marsad.sources.http.safety import AddressPolicy, BlockedURL, check_url

DEFAULT = AddressPolicy()


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "127.0.0.1 is a loopback address"),
        ("::1", "::1 is a loopback address"),
        ("10.0.0.1", "10.0.0.1 is a private address"),
        ("172.16.5.4", "172.16.5.4 is a private address"),
        ("192.168.1.1", "192.168.1.1 is a private address"),
        ("169.254.169.254", "169.254.169.254 is a link-local address"),
        ("fe80::1", "fe80::1 is a link-local address"),
        ("224.0.0.1", "224.0.0.1 is a multicast address"),
        ("ff02::1", "ff02::1 is a multicast address"),
        ("240.0.0.1", "240.0.0.1 is a reserved address"),
        ("0.0.0.0", "0.0.0.0 is an unspecified address"),
        ("100.64.0.1", "100.64.0.1 is a non-global address"),
        ("fc00::1", "fc00::1 is a private address"),
        ("::ffff:10.0.0.1", "::ffff:10.0.0.1 is a private address"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1 is a loopback address"),
    ],
)
def test_default_policy_refuses_special_addresses(address, reason):
    assert DEFAULT.refusal(address) == reason


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888", "196.200.131.10"])
def test_default_policy_allows_public_addresses(address):
    assert DEFAULT.refusal(address) is None


def test_allowing_loopback_still_refuses_private_networks():
    policy = AddressPolicy.from_strings(["127.0.0.0/8"], public=False)
    assert policy.refusal("127.0.0.5") is None
    assert policy.refusal("10.0.0.1") == "10.0.0.1 is a private address"
    assert policy.refusal("8.8.8.8") == "8.8.8.8 is a public address and this crawl allows only 127.0.0.0/8"


def test_a_non_address_is_refused():
    assert DEFAULT.refusal("not-an-ip") == "'not-an-ip' is not an IP address"


def test_allow_private_opens_everything():
    policy = AddressPolicy.allow_private()
    assert [policy.refusal(a) for a in ("10.0.0.1", "::1", "169.254.169.254", "8.8.8.8")] == [None] * 4


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/x",
        "gopher://example.com/",
        "http:///nohost",
        "//x.example/",
        "http://[::1/",
        "http://x.example:99999/",
    ],
)
def test_only_http_and_https_urls_with_a_host(url):
    with pytest.raises(BlockedURL):
        check_url(url)
    check_url("https://example.com/a")
