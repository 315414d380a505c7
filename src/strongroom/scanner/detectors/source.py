"""Source hosting: GitHub, GitLab, Bitbucket, Atlassian, Azure DevOps, Hugging Face and others."""

from __future__ import annotations

from strongroom.scanner.checksums import verify_github_token
from strongroom.scanner.rule import HEX40, Rule, keyed, token

F = "source-hosting"
_GH = r"[A-Za-z0-9]{36}"

RULES: tuple[Rule, ...] = (
    token("github-pat", "GitHub personal access token (classic)", F, "ghp_" + _GH, validator=verify_github_token),
    token("github-oauth-token", "GitHub OAuth access token", F, "gho_" + _GH, validator=verify_github_token),
    token("github-user-to-server-token", "GitHub App user-to-server token", F, "ghu_" + _GH,
          validator=verify_github_token),
    token("github-app-token", "GitHub App installation token", F, "ghs_" + _GH, validator=verify_github_token),
    token("github-refresh-token", "GitHub refresh token", F, "ghr_" + _GH, validator=verify_github_token),
    token("github-fine-grained-pat", "GitHub fine-grained personal access token", F,
          r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}"),
    token("gitlab-pat", "GitLab personal access token", F, r"glpat-[A-Za-z0-9_\-]{20}"),
    token("gitlab-pat-routable", "GitLab routable personal access token", F,
          r"glpat-[A-Za-z0-9_\-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7}"),
    token("gitlab-deploy-token", "GitLab deploy token", F, r"gldt-[A-Za-z0-9_\-]{20}"),
    token("gitlab-pipeline-trigger-token", "GitLab pipeline trigger token", F, r"glptt-[a-f0-9]{40}"),
    token("gitlab-runner-token", "GitLab runner authentication token", F, r"glrt-[A-Za-z0-9_\-]{20}"),
    token("gitlab-runner-registration-token", "GitLab runner registration token", F, r"GR1348941[A-Za-z0-9_\-]{20}"),
    token("gitlab-ci-build-token", "GitLab CI/CD job token", F, r"glcbt-[0-9a-fA-F]{1,5}_[A-Za-z0-9_\-]{20}"),
    token("gitlab-incoming-mail-token", "GitLab incoming mail token", F, r"glimt-[A-Za-z0-9_\-]{25}"),
    token("gitlab-feed-token", "GitLab feed token", F, r"glft-[A-Za-z0-9_\-]{20}"),
    token("gitlab-oauth-app-secret", "GitLab OAuth application secret", F, r"gloas-[A-Za-z0-9_\-]{64}"),
    token("gitlab-feature-flag-token", "GitLab feature flags client token", F, r"glffct-[A-Za-z0-9_\-]{20}"),
    token("gitlab-agent-token", "GitLab agent for Kubernetes token", F, r"glagent-[A-Za-z0-9_\-]{50}"),
    token("gitlab-scim-token", "GitLab SCIM OAuth token", F, r"glsoat-[A-Za-z0-9_\-]{20}"),
    keyed("bitbucket-client-secret", "Bitbucket OAuth client secret", F, ("bitbucket",), r"[A-Za-z0-9_\-]{64}"),
    token("bitbucket-app-password", "Bitbucket app password", F, r"ATBB[A-Za-z0-9_=.\-]{32}"),
    token("atlassian-api-token", "Atlassian API token", F, r"ATATT3[A-Za-z0-9_\-=]{186}"),
    keyed("azure-devops-pat", "Azure DevOps personal access token", F, ("azure_devops", "ado_pat", "azdo"),
          r"[a-z2-7]{52}"),
    token("sourcegraph-access-token", "Sourcegraph access token", F, r"sgp_(?:[a-fA-F0-9]{16}|local)_" + HEX40),
    token("huggingface-access-token", "Hugging Face access token", F, r"hf_[a-zA-Z]{34}", entropy=3.0),
    token("huggingface-org-token", "Hugging Face organisation API token", F, r"api_org_[a-zA-Z]{34}", entropy=3.0),
    keyed("gitea-access-token", "Gitea access token", F, ("gitea", "forgejo"), HEX40),
    keyed("gitter-access-token", "Gitter access token", F, ("gitter",), HEX40),
    token("gitbook-api-token", "GitBook API token", F, r"gb_api_[A-Za-z0-9]{44}"),
)
