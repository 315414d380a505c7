"""Kubernetes service-account tokens through the cluster's issuer.

A cluster publishes OpenID discovery and a JWKS at its service-account issuer; the mount is configured the way
Vault documents it for Kubernetes (oidc_discovery_url + oidc_discovery_ca_pem, no client). The real OpenID
provider on loopback plays the cluster's issuer, and the tests sign projected service-account tokens with its
published keys, in the shape the kube-apiserver gives them: `sub` system:serviceaccount:NS:NAME and the
workload under the nested `kubernetes.io` claim, which roles reach with JSON pointers (RFC 6901).
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from strongroom.auth.jwt import factory
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness

from .conftest import OpenIdProvider

pytestmark = pytest.mark.timeout(120)
AUDIENCE = "https://kubernetes.default.svc.cluster.local"


def cluster_mount(provider: OpenIdProvider) -> EngineHarness:
    harness = EngineHarness(factory, mount_path="auth/kubernetes-jwt/", options={"allow_loopback": "true"})
    harness.clock.advance(time.time() - harness.clock.now())
    harness.write("config", oidc_discovery_url=provider.issuer, oidc_discovery_ca_pem=provider.tls.ca_pem)
    harness.write("role/deployer", role_type="jwt", user_claim="sub", bound_audiences=[AUDIENCE],
                  bound_claims_type="glob",
                  bound_claims={"/kubernetes.io/namespace": ["ci"], "/kubernetes.io/serviceaccount/name": ["deploy*"]},
                  claim_mappings={"/kubernetes.io/serviceaccount/name": "service_account",
                                  "/kubernetes.io/namespace": "namespace", "/kubernetes.io/pod/name": "pod"},
                  token_policies=["deploy"])
    return harness


def sa_token(provider: OpenIdProvider, namespace: str = "ci", name: str = "deployer", **changes: Any) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": provider.issuer, "sub": f"system:serviceaccount:{namespace}:{name}", "aud": [AUDIENCE],
        "iat": now, "nbf": now, "exp": now + 600,
        "kubernetes.io": {"namespace": namespace, "serviceaccount": {"name": name, "uid": "6f1c-uid"},
                          "pod": {"name": "deployer-7d9f", "uid": "pod-uid"}},
    }
    claims.update(changes)
    return provider.keys[0].sign({k: v for k, v in claims.items() if v is not None})


def login(harness: EngineHarness, token: str, role: str = "deployer") -> Any:
    auth = harness.write("login", role=role, jwt=token).auth
    assert auth is not None
    return auth


def test_a_projected_service_account_token_logs_in_with_nested_claims(provider: OpenIdProvider) -> None:
    harness = cluster_mount(provider)
    auth = login(harness, sa_token(provider))
    assert auth.alias_name == "system:serviceaccount:ci:deployer"
    assert auth.policies == ("deploy",)
    assert {k: auth.alias_metadata[k] for k in ("service_account", "namespace", "pod")} == {
        "service_account": "deployer", "namespace": "ci", "pod": "deployer-7d9f"}


def test_nested_bound_claims_refuse_other_workloads(provider: OpenIdProvider) -> None:
    harness = cluster_mount(provider)
    with pytest.raises(InvalidRequest, match=re.escape("'/kubernetes.io/namespace' does not match")):
        login(harness, sa_token(provider, namespace="prod"))
    with pytest.raises(InvalidRequest, match=re.escape("'/kubernetes.io/serviceaccount/name' does not match")):
        login(harness, sa_token(provider, name="backup"))
    with pytest.raises(InvalidRequest, match=re.escape("'/kubernetes.io/namespace' is missing")):
        login(harness, sa_token(provider, **{"kubernetes.io": {"serviceaccount": {"name": "deployer"}}}))


def test_user_claim_by_json_pointer_only_when_the_role_says_so(provider: OpenIdProvider) -> None:
    harness = cluster_mount(provider)
    harness.write("role/by-uid", role_type="jwt", user_claim="/kubernetes.io/serviceaccount/uid",
                  user_claim_json_pointer=True, bound_audiences=[AUDIENCE])
    assert login(harness, sa_token(provider), role="by-uid").alias_name == "6f1c-uid"
    harness.write("role/literal", role_type="jwt", user_claim="/kubernetes.io/serviceaccount/uid",
                  bound_audiences=[AUDIENCE])
    with pytest.raises(InvalidRequest, match="not found in token"):
        login(harness, sa_token(provider), role="literal")


def test_legacy_secret_tokens_and_other_audiences_are_refused(provider: OpenIdProvider) -> None:
    harness = cluster_mount(provider)
    # Legacy (Secret-based) service-account tokens never expire: refused for lack of exp.
    with pytest.raises(InvalidRequest, match="exp"):
        login(harness, sa_token(provider, exp=None))
    with pytest.raises(InvalidRequest, match="audience"):
        login(harness, sa_token(provider, aud=["https://other-cluster.example"]))
