"""The WAF WebACL shared by CloudFront (scope CLOUDFRONT, us-east-1) and the API stage (scope REGIONAL)."""

from __future__ import annotations

from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True)


def _managed(name: str, priority: int, count_rules: tuple[str, ...] = ()) -> wafv2.CfnWebACL.RuleProperty:
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS",
                name=name,
                rule_action_overrides=[
                    wafv2.CfnWebACL.RuleActionOverrideProperty(
                        name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={}))
                    for rule in count_rules
                ] or None,
            )
        ),
        visibility_config=_visibility(name),
    )


def web_acl(scope: Construct, construct_id: str, *, waf_scope: str, name: str,
            rate_limit_per_5min: int, rate_rule: bool = True) -> wafv2.CfnWebACL:
    """`rate_rule=False` behind CloudFront: there the regional WebACL sees CloudFront's addresses, not the
    viewer's, so a per-IP rate would throttle whole edge locations. Counting X-Forwarded-For instead would
    count what the caller writes (WAF reads its first address, which the client supplies), so the rate rule
    is CloudFront's WebACL's, which sees the viewer; the stage throttle still bounds direct calls."""
    rate = [wafv2.CfnWebACL.RuleProperty(
        name="rate-per-ip",
        priority=0,
        action=wafv2.CfnWebACL.RuleActionProperty(block={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                limit=rate_limit_per_5min, aggregate_key_type="IP", evaluation_window_sec=300)),
        visibility_config=_visibility("rate-per-ip"),
    )] if rate_rule else []
    return wafv2.CfnWebACL(
        scope,
        construct_id,
        name=name,
        scope=waf_scope,
        default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
        visibility_config=_visibility(name),
        rules=[
            *rate,
            _managed("AWSManagedRulesKnownBadInputsRuleSet", 1),
            # Scripts are posted as JSON bodies larger than the common rule set's 8 KB body limit; the app
            # enforces its own per-route body limits (413), so that one rule only counts.
            _managed("AWSManagedRulesCommonRuleSet", 2, count_rules=("SizeRestrictions_BODY",)),
        ],
    )
