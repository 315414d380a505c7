"""ACL policies: parse HCL/JSON policy text, merge policies into an ACL, decide path + operation, store them.

    parse_policy(name, text) -> Policy              parser.py   (PolicyParseError on any defect)
    ACL.from_policies(policies) -> ACL              acl.py      (.capabilities(path), .check(path, op))
    check_parameters / check_wrapping               acl.py      (constraints the caller enforces)
    PolicyStore(storage)                            store.py    (get/put/delete/list, acl_for(names))
    ROOT_POLICY, DEFAULT_POLICY_TEXT, requires_sudo builtin.py

This package is part of the core and imports only `strongroom.sdk` besides itself.
"""

from strongroom.core.policy.acl import ACL, CAPABILITY_ORDER, AclDecision, check_parameters, check_wrapping, ordered
from strongroom.core.policy.builtin import (
    DEFAULT_POLICY,
    DEFAULT_POLICY_TEXT,
    ROOT_POLICY,
    SUDO_PATHS,
    requires_sudo,
)
from strongroom.core.policy.errors import PolicyError, PolicyParseError
from strongroom.core.policy.merge import MergedRule
from strongroom.core.policy.model import CAPABILITIES, OPERATIONS, PathRule, Policy, normalize_name
from strongroom.core.policy.parser import parse_policy
from strongroom.core.policy.store import PolicyStore

__all__ = [
    "ACL",
    "CAPABILITIES",
    "CAPABILITY_ORDER",
    "DEFAULT_POLICY",
    "DEFAULT_POLICY_TEXT",
    "OPERATIONS",
    "ROOT_POLICY",
    "SUDO_PATHS",
    "AclDecision",
    "MergedRule",
    "PathRule",
    "Policy",
    "PolicyError",
    "PolicyParseError",
    "PolicyStore",
    "check_parameters",
    "check_wrapping",
    "normalize_name",
    "ordered",
    "parse_policy",
    "requires_sudo",
]
