"""CloudFront in front of the API, the media bucket's final outputs and the web studio, with a WAF WebACL.

A CLOUDFRONT-scope WebACL can only be created in us-east-1, so this stack is deployed there
(app.py gives it that region when the app's region is known, docs/deploy.md otherwise).
"""

from __future__ import annotations

from aws_cdk import Annotations, CfnOutput, Duration, Stack, Token
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from cdk import nag
from cdk.config import StudioConfig
from cdk.naming import media_bucket_name
from cdk.storage import FINAL_OUTPUTS_PATTERN, removal_policy
from cdk.waf import web_acl
from cdk.web_site import INDEX_FUNCTION, WEB_PATH_PATTERN, WEB_PREFIX, stage_web


class EdgeStack(Stack):
    """Exposes `distribution` and `web_acl`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StudioConfig,
        api: apigw.RestApi,
        bucket_region: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # The bucket lives in the storage stack's region, which may not be this stack's (us-east-1).
        region = bucket_region or self.region
        account = config.account or self.account
        bucket = s3.Bucket.from_bucket_attributes(
            self, "MediaBucket", bucket_name=media_bucket_name(config.prefix, account, region), region=region)

        self.web_acl = web_acl(self, "WebAcl", waf_scope="CLOUDFRONT", name=f"{config.prefix}-edge",
                               rate_limit_per_5min=config.waf_rate_limit_per_5min)

        # CloudFront standard logs are written with ACLs, so this bucket (unlike the others) keeps them enabled.
        self.logs_bucket = s3.Bucket(
            self,
            "EdgeLogsBucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
            lifecycle_rules=[s3.LifecycleRule(id="expire-logs", expiration=Duration.days(config.access_log_expiry_days))],
            removal_policy=removal_policy(config),
        )

        # The bucket policy that admits this distribution is the bucket-policy stack's (cdk/bucket_policy.py),
        # deployed after this one; CDK warns that it cannot edit an imported bucket's policy itself.
        media_origin = origins.S3BucketOrigin.with_origin_access_control(
            bucket, origin_access_levels=[cloudfront.AccessLevel.READ])
        self.key_group = self._signed_outputs(config)
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"{config.prefix}: API and final outputs",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.RestApiOrigin(api),
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                # An API: never cached. With caching disabled the AllViewer policies may forward the
                # Authorization header; Host must not be forwarded or API Gateway rejects the request.
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
            ),
            additional_behaviors={
                **self._outputs_behaviour(media_origin),
                WEB_PATH_PATTERN: self._web_behaviour(media_origin, bucket.bucket_name, region),
            },
            web_acl_id=self.web_acl.attr_arn,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            **self._domain(config),
            enable_logging=True,
            log_bucket=self.logs_bucket,
            log_file_prefix="cloudfront/",
        )
        Annotations.of(self).acknowledge_warning(
            "@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac",
            "The bucket-policy stack (cdk/bucket_policy.py), deployed after this one, admits exactly this "
            "distribution (AWS:SourceArn) to users/*/final/* and web/*.",
        )
        CfnOutput(self, "DistributionDomainName", value=self.distribution.distribution_domain_name)
        self.web_deployment = self._deploy_web(bucket, media_bucket_name(
            config.prefix, *(f"<{p}>" if Token.is_unresolved(v) else v
                             for v, p in ((account, "AWS::AccountId"), (region, "AWS::Region")))))
        self._acknowledgments(config)

    # -- the web studio (docs/web.md) ---------------------------------------------------------
    def _web_behaviour(self, origin, bucket_name: str, region: str) -> cloudfront.BehaviorOptions:
        from filmstudio.api.web_static import HSTS_SECONDS, content_security_policy

        # Output URLs that are presigned S3 URLs point at the bucket itself, so the page may load media from it.
        bucket_origins = (f"https://{bucket_name}.s3.{region}.amazonaws.com", f"https://{bucket_name}.s3.amazonaws.com")
        self.web_headers = cloudfront.ResponseHeadersPolicy(
            self, "WebHeaders",
            comment="Film Studio web app: strict CSP, HSTS, nosniff, no framing",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=content_security_policy(bucket_origins), override=True),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.seconds(HSTS_SECONDS), include_subdomains=True, preload=True,
                    override=True),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True),
            ),
        )
        self.web_index = cloudfront.Function(
            self, "WebIndex", code=cloudfront.FunctionCode.from_inline(INDEX_FUNCTION),
            runtime=cloudfront.FunctionRuntime.JS_2_0, comment="Film Studio web app: folder requests get index.html")
        return cloudfront.BehaviorOptions(
            origin=origin,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            compress=True,
            response_headers_policy=self.web_headers,
            function_associations=[cloudfront.FunctionAssociation(
                function=self.web_index, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST)],
        )

    def _deploy_web(self, bucket: s3.IBucket, bucket_as_nag_prints_it: str) -> s3deploy.BucketDeployment:
        """web/ (and its fonts) into the bucket under web/; a deploy invalidates the cached copies. A plain
        asset directory: synth zips it, no Docker and no build tool.

        BucketDeployment would grant its handler read-write on the whole media bucket (every user's films).
        Its role is given to it immutable instead, and allowed exactly: read this asset, write and prune
        web/, invalidate this distribution."""
        asset = s3_assets.Asset(self, "WebAsset", path=str(stage_web()))
        role = iam.Role(
            self, "WebDeploymentRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Film Studio: copies the web studio into the media bucket's web/ prefix at deploy time",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(
                "service-role/AWSLambdaBasicExecutionRole")])
        role.add_to_policy(iam.PolicyStatement(actions=["s3:GetObject"],
                                               resources=[asset.bucket.arn_for_objects(asset.s3_object_key)]))
        role.add_to_policy(iam.PolicyStatement(actions=["s3:ListBucket"], resources=[bucket.bucket_arn],
                                               conditions={"StringLike": {"s3:prefix": [WEB_PATH_PATTERN, WEB_PREFIX]}}))
        role.add_to_policy(iam.PolicyStatement(
            actions=["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
            resources=[bucket.arn_for_objects(WEB_PATH_PATTERN)]))
        role.add_to_policy(iam.PolicyStatement(
            actions=["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"],
            resources=[self.format_arn(service="cloudfront", region="", resource="distribution",
                                       resource_name=self.distribution.distribution_id)]))
        deployment = s3deploy.BucketDeployment(
            self, "WebDeployment",
            sources=[s3deploy.Source.bucket(asset.bucket, asset.s3_object_key)],
            destination_bucket=bucket,
            destination_key_prefix=WEB_PREFIX,
            prune=True,
            # Revalidated on every load (an ETag answer costs little); a deploy is seen at once.
            cache_control=[s3deploy.CacheControl.no_cache()],
            distribution=self.distribution,
            distribution_paths=[f"/{WEB_PATH_PATTERN}"],
            memory_limit=256,
            role=iam.Role.from_role_arn(self, "WebDeploymentRoleRef", role.role_arn, mutable=False),
        )
        deployment.node.add_dependency(role)
        nag.acknowledge(role, "AwsSolutions-IAM4",
                        "A deploy-time copy job; AWSLambdaBasicExecutionRole only lets it write its own logs.",
                        findings=["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                                  "AWSLambdaBasicExecutionRole"])
        nag.acknowledge(role, "AwsSolutions-IAM5",
                        "Exactly the web studio's own prefix (web/*) of the media bucket, which it writes and "
                        "prunes on every deploy; nothing under users/.",
                        findings=[f"Resource::arn:<AWS::Partition>:s3:::{bucket_as_nag_prints_it}/{WEB_PATH_PATTERN}"])
        for child in self.node.children:
            if child.node.id.startswith("Custom::CDKBucketDeployment"):
                nag.acknowledge(child, "AwsSolutions-L1",
                                "CDK's BucketDeployment handler; its runtime is chosen by aws-cdk-lib and moves "
                                "with it. It runs only while deploying.")
        return deployment

    def _outputs_behaviour(self, media_origin) -> dict:
        """Final outputs to signed URLs only: without a signing key CloudFront serves none of them (the API's
        presigned S3 URLs still deliver outputs), so an output URL is never readable by whoever holds it."""
        if self.key_group is None:
            Annotations.of(self).add_warning_v2(
                "filmstudio:unsignedOutputs",
                "No edge_signing_public_key_file: CloudFront serves no final outputs (signed URLs only); "
                "the API's presigned URLs still deliver them (docs/deploy.md).")
            return {}
        return {FINAL_OUTPUTS_PATTERN: cloudfront.BehaviorOptions(
            origin=media_origin,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            trusted_key_groups=[self.key_group],
        )}

    def _signed_outputs(self, config: StudioConfig) -> cloudfront.KeyGroup | None:
        if config.edge_signing_public_key_file is None:
            return None
        public_key = cloudfront.PublicKey(
            self, "OutputsSigningKey",
            encoded_key=config.edge_signing_public_key_file.read_text(encoding="ascii").strip() + "\n",
            comment="Verifies signed URLs for final outputs",
        )
        # The signer needs this ID (the Key-Pair-Id of a signed URL) next to the private key.
        CfnOutput(self, "OutputsSigningKeyId", value=public_key.public_key_id)
        return cloudfront.KeyGroup(self, "OutputsKeyGroup", items=[public_key])

    def _domain(self, config: StudioConfig) -> dict:
        if not config.edge_certificate_arn:
            return {}
        if not config.edge_domain_names:
            raise ValueError("edge_certificate_arn needs edge_domain_names")
        return dict(
            certificate=acm.Certificate.from_certificate_arn(self, "Certificate", config.edge_certificate_arn),
            domain_names=list(config.edge_domain_names),
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
        )

    def _acknowledgments(self, config: StudioConfig) -> None:
        nag.acknowledge(self.logs_bucket, "AwsSolutions-S1",
                        "This bucket receives CloudFront's access logs; logging access to the log bucket itself "
                        "would only log the logging.")
        nag.acknowledge(self.distribution, "AwsSolutions-CFR1",
                        "Film Studio serves a worldwide audience (scripts in many languages); there is no "
                        "country it must be withheld from, and WAF rate rules cover abuse.")
        if not config.edge_certificate_arn:
            nag.acknowledge(self.distribution, "AwsSolutions-CFR4",
                            "No custom domain is configured, so the distribution uses the default *.cloudfront.net "
                            "certificate, whose TLS policy CloudFront fixes; setting edge_certificate_arn and "
                            "edge_domain_names switches to TLSv1.2_2021.")
