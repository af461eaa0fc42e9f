"""API Gateway REST API in front of the FastAPI app (Lambda proxy) with a JWT Lambda authorizer.

Public routes: /v1/auth/* (register, login, refresh, logout), /docs, /openapi.json, /health.
Everything else under /v1 goes through the TOKEN authorizer, whose answer API Gateway caches per
token. Request bodies: API Gateway REST APIs have a fixed 10 MB payload limit and no configurable
body-size check, so the app enforces per-route limits itself (GuardMiddleware answers 413).
"""

from __future__ import annotations

from aws_cdk import ArnFormat, CfnOutput, Duration, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from cdk import nag
from cdk.config import StudioConfig
from cdk.naming import api_name, function_name
from cdk.pipeline import retention
from cdk.storage import removal_policy
from cdk.waf import web_acl

PUBLIC_GET_PATHS = ("docs", "openapi.json", "health")
AUTH_PREFIX = "auth"  # under /v1
# The app's error shape ({"error": {"code", "message", "details"}}) for answers API Gateway gives itself.
_GATEWAY_ERRORS = {
    apigw.ResponseType.UNAUTHORIZED: ("401", "UNAUTHORIZED", "a valid bearer token is required"),
    apigw.ResponseType.ACCESS_DENIED: ("403", "FORBIDDEN", "the token does not allow this request"),
    apigw.ResponseType.THROTTLED: ("429", "THROTTLED", "too many requests; retry later"),
    apigw.ResponseType.REQUEST_TOO_LARGE: ("413", "PAYLOAD_TOO_LARGE", "the request body is too large"),
    apigw.ResponseType.BAD_REQUEST_PARAMETERS: ("400", "BAD_REQUEST", "$context.error.validationErrorString"),
}


class ApiStack(Stack):
    """Exposes `api` (the RestApi) and `authorizer`."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StudioConfig, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # The functions live in the pipeline stack under fixed names. Importing them by ARN puts the invoke
        # permissions API Gateway needs in *this* stack; referencing the Function objects would put them in
        # the pipeline stack, which would then depend on this one while this one depends on it.
        def imported(name: str) -> lambda_.IFunction:
            arn = self.format_arn(service="lambda", resource="function", resource_name=function_name(config.prefix, name),
                                  arn_format=ArnFormat.COLON_RESOURCE_NAME)
            return lambda_.Function.from_function_attributes(self, f"{name.title()}FunctionRef", function_arn=arn,
                                                             same_environment=True)

        api_function = imported("api")
        authorizer_function = imported("authorizer")

        access_logs = logs.LogGroup(self, "AccessLogs", retention=retention(config.log_retention_days),
                                    removal_policy=removal_policy(config))
        self.api = apigw.RestApi(
            self,
            "RestApi",
            rest_api_name=api_name(config),
            description="Film Studio REST API (FastAPI through Mangum)",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # Usage-plan keys, when routes start requiring them, come from the authorizer (usageIdentifierKey).
            api_key_source_type=apigw.ApiKeySourceType.AUTHORIZER,
            # Access and execution logging need API Gateway's account-level CloudWatch role (one per region).
            cloud_watch_role=True,
            deploy_options=apigw.StageOptions(
                stage_name=config.api_stage_name,
                throttling_rate_limit=config.api_rate_limit,
                throttling_burst_limit=config.api_burst_limit,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False, http_method=True, ip=True, protocol=True, request_time=True,
                    resource_path=True, response_length=True, status=True, user=True),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,  # request bodies carry passwords and scripts
                tracing_enabled=True,
                metrics_enabled=True,
                method_options={
                    # Credential stuffing hits the auth routes: they get a far lower ceiling than the stage.
                    f"/v1/{AUTH_PREFIX}/{{proxy+}}/ANY": apigw.MethodDeploymentOptions(
                        throttling_rate_limit=config.auth_rate_limit, throttling_burst_limit=config.auth_burst_limit),
                },
            ),
        )
        for response_type, (status, code, message) in _GATEWAY_ERRORS.items():
            self.api.add_gateway_response(
                f"{code.title().replace('_', '')}{status}",
                type=response_type,
                status_code=status,
                templates={"application/json": '{"error": {"code": "%s", "message": "%s", "details": null}}'
                           % (code, message)},
            )

        self.authorizer = apigw.TokenAuthorizer(
            self,
            "JwtAuthorizer",
            handler=authorizer_function,
            identity_source=apigw.IdentitySource.header("Authorization"),
            # Malformed headers are refused by API Gateway without invoking (or paying for) the authorizer.
            validation_regex=r"^Bearer [-0-9A-Za-z_]+\.[-0-9A-Za-z_]+\.[-0-9A-Za-z_]+$",
            results_cache_ttl=Duration.seconds(config.authorizer_cache_ttl_s),
        )
        integration = apigw.LambdaIntegration(api_function, proxy=True, allow_test_invoke=False)
        validator = apigw.RequestValidator(self, "RequireAuthorizationHeader", rest_api=self.api,
                                           validate_request_parameters=True, validate_request_body=False)

        self.public_methods: list[apigw.Method] = []
        for path in PUBLIC_GET_PATHS:
            self.public_methods.append(self.api.root.add_resource(path).add_method(
                "GET", integration, authorization_type=apigw.AuthorizationType.NONE))
        v1 = self.api.root.add_resource("v1")
        auth = v1.add_resource(AUTH_PREFIX)
        self.public_methods.append(auth.add_proxy(any_method=False).add_method(
            "ANY", integration, authorization_type=apigw.AuthorizationType.NONE))
        self.protected_method = v1.add_proxy(any_method=False).add_method(
            "ANY",
            integration,
            authorizer=self.authorizer,
            authorization_type=apigw.AuthorizationType.CUSTOM,
            request_parameters={"method.request.header.Authorization": True},
            request_validator=validator,
        )

        plan = self.api.add_usage_plan(
            "UsagePlan",
            name=f"{config.prefix}-default",
            description="Default plan: the stage-wide ceiling, and a daily quota for API keys issued later",
            throttle=apigw.ThrottleSettings(rate_limit=config.api_rate_limit, burst_limit=config.api_burst_limit),
            quota=apigw.QuotaSettings(limit=config.api_daily_quota, period=apigw.Period.DAY),
        )
        plan.add_api_stage(stage=self.api.deployment_stage)

        # The stage is also reachable at its execute-api URL, around CloudFront: it gets its own WebACL.
        self.web_acl = web_acl(self, "RegionalWebAcl", waf_scope="REGIONAL", name=f"{config.prefix}-api",
                               rate_limit_per_5min=config.waf_rate_limit_per_5min,
                               rate_rule=not config.edge_stack)  # behind CloudFront: its WebACL counts viewers
        wafv2.CfnWebACLAssociation(self, "StageWebAcl", resource_arn=self.api.deployment_stage.stage_arn,
                                   web_acl_arn=self.web_acl.attr_arn)

        CfnOutput(self, "ApiUrl", value=self.api.url)
        self._acknowledgments()

    def _acknowledgments(self) -> None:
        for method in self.public_methods:
            nag.acknowledge(method, "AwsSolutions-APIG4",
                            "Deliberately public: sign-up/login/refresh/logout cannot require the token they "
                            "issue, and the API docs and health check are public by design.")
        nag.acknowledge(self.api, "AwsSolutions-APIG2",
                        "Parameter validation is on (protected routes require the Authorization header). Bodies "
                        "go through a proxy integration to FastAPI, whose pydantic models validate them and "
                        "whose middleware enforces per-route size limits; API Gateway body validation would "
                        "need a duplicate JSON-schema model per route.")
        nag.acknowledge(self, "AwsSolutions-COG4",
                        "Authentication is the project's own RS256 JWTs verified by a Lambda TOKEN authorizer "
                        "(users live in DynamoDB), not a Cognito user pool.")
        role = self.node.try_find_child("RestApi").node.try_find_child("CloudWatchRole")
        nag.acknowledge(role, "AwsSolutions-IAM4",
                        "API Gateway's account-level logging role; AmazonAPIGatewayPushToCloudWatchLogs is the "
                        "policy AWS documents for it and only allows writing CloudWatch Logs.",
                        findings=["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                                  "AmazonAPIGatewayPushToCloudWatchLogs"])
