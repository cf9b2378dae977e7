"""Every write, one function per use case: checks policy, records the audit, commits once."""

from gaps.domain.errors import StaleVersion
from gaps.services.accounts import (
    DEMO_ACCOUNTS,
    SIGN_IN_REFUSED,
    SignInRefused,
    account_by_email,
    change_own_password,
    change_role_and_team,
    create_account,
    create_user,
    ensure_demo_accounts,
    record_refusal,
    reset_password,
    set_account_active,
    set_password,
    sign_in,
    sign_out,
)
from gaps.services.actions import add_actions, close_action
from gaps.services.audit import record_audit
from gaps.services.collection import (
    record_contribution,
    task_requirement,
    transition_requirement,
)
from gaps.services.content import (
    clear_key_judgement_flag,
    create_gap,
    create_requirement,
    link_key_judgement,
    update_gap,
    update_key_judgement,
    update_requirement,
)
from gaps.services.imports import (
    accept_candidate,
    continue_gap,
    edit_candidate,
    import_assessment,
    mark_gap,
    merge_candidates,
    publish_assessment,
    reject_candidate,
)
from gaps.services.notifications import record_digest_sent, set_digest_preference
from gaps.services.ranking import current_register, rank_register, refresh_register
from gaps.services.register import (
    decide_snapshot,
    override_rank,
    record_export,
    take_snapshot,
    update_scoring_settings,
)
from gaps.services.reports import decide_match, import_reports, match_again, record_report
from gaps.services.seed import load_seed
from gaps.services.tokens import (
    create_api_token,
    issue_api_token,
    record_token_use,
    revoke_api_token,
    revoke_api_tokens,
)

__all__ = [
    "account_by_email", "change_own_password", "change_role_and_team", "create_account",
    "reset_password", "set_account_active", "set_password", "create_api_token", "record_token_use",
    "revoke_api_token", "revoke_api_tokens",
    "StaleVersion", "DEMO_ACCOUNTS", "SIGN_IN_REFUSED", "SignInRefused", "clear_key_judgement_flag",
    "create_gap", "create_requirement", "create_user", "ensure_demo_accounts",
    "issue_api_token", "link_key_judgement", "load_seed", "record_audit",
    "record_contribution", "record_refusal", "sign_in", "sign_out", "task_requirement",
    "transition_requirement", "update_gap", "update_key_judgement", "update_requirement",
    "decide_snapshot", "override_rank", "record_export", "take_snapshot",
    "update_scoring_settings", "accept_candidate", "continue_gap", "edit_candidate",
    "import_assessment", "mark_gap", "merge_candidates", "publish_assessment",
    "reject_candidate", "current_register", "rank_register", "refresh_register", "add_actions",
    "close_action", "decide_match", "import_reports", "match_again", "record_digest_sent",
    "record_report", "set_digest_preference",
]
