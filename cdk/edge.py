"""CloudFront in front of the API and the media bucket's final outputs, with a WAF WebACL.

A CLOUDFRONT-scope WebACL can only be created in us-east-1, so this stack is deployed there
(app.py gives it that region when the app's region is known, docs/deploy.md otherwise).
"""

from __future__ import annotations

from aws_cdk import Annotations, CfnOutput, Duration, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from cdk import nag
from cdk.config import StudioConfig
from cdk.naming import media_bucket_name
from cdk.storage import FINAL_OUTPUTS_PATTERN, removal_policy
from cdk.waf import web_acl


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

        # The bucket policy that admits this distribution is in the storage stack (it cannot name the
        # distribution without a stack cycle); CDK warns that it cannot edit an imported bucket's policy.
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
            additional_behaviors=self._outputs_behaviour(media_origin),
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
            "The storage stack's bucket policy already admits this account's CloudFront distributions to "
            "users/*/final/* (storage.py); naming this distribution there would create a stack cycle.",
        )
        CfnOutput(self, "DistributionDomainName", value=self.distribution.distribution_domain_name)
        self._acknowledgments(config)

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
