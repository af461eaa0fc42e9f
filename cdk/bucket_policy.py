"""The media bucket's one bucket policy, in a stack of its own deployed after the edge stack.

Why a stack of its own: CloudFront's origin access control needs a bucket-policy statement whose
`AWS:SourceArn` names the distribution. The bucket is in the storage stack and the distribution in
the edge stack, which depends (through the API and the pipeline) on storage; a statement in storage
naming the distribution would close a cycle. This stack depends on both, so it can name exactly this
distribution. A bucket has one policy, so this stack owns all of it, including the deny-plain-HTTP
statement `enforceSSL` would add: the storage stack's media bucket has no policy of its own.
"""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from cdk import nag
from cdk.config import StudioConfig
from cdk.naming import media_bucket_name
from cdk.storage import FINAL_OUTPUTS_PATTERN


class MediaBucketPolicyStack(Stack):
    """Exposes `policy` (the bucket's BucketPolicy) and `distribution_arn` (None without the edge stack)."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StudioConfig,
                 distribution_id: str | None, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        bucket = s3.Bucket.from_bucket_name(self, "MediaBucket",
                                            media_bucket_name(config.prefix, self.account, self.region))
        self.policy = s3.BucketPolicy(self, "MediaBucketPolicy", bucket=bucket)
        document = self.policy.document
        # The statement s3.Bucket(enforce_ssl=True) writes, word for word.
        document.add_statements(iam.PolicyStatement(
            effect=iam.Effect.DENY, principals=[iam.AnyPrincipal()], actions=["s3:*"],
            resources=[bucket.bucket_arn, bucket.arn_for_objects("*")],
            conditions={"Bool": {"aws:SecureTransport": "false"}}))
        nag.acknowledge(self.policy, "AwsSolutions-S10",
                        "The first statement denies every request not over TLS (aws:SecureTransport false) on the "
                        "bucket and its objects, as enforceSSL writes it; cdk-nag cannot match it to the bucket "
                        "because the bucket's name is built with Fn::Join (account and region), not a Ref. "
                        "tests/infrastructure/test_infra_bucket_policy.py asserts the statement.")

        self.distribution_arn = None
        if distribution_id is None:
            return
        from cdk.web_site import WEB_PATH_PATTERN

        self.distribution_arn = self.format_arn(service="cloudfront", region="", resource="distribution",
                                                resource_name=distribution_id)
        reads = {"CloudFrontReadsTheWebStudio": WEB_PATH_PATTERN}
        if config.cloudfront_serves_outputs:
            # Final outputs only, which the distribution serves to signed URLs only (edge.py).
            reads["CloudFrontReadsFinalOutputs"] = FINAL_OUTPUTS_PATTERN
        for sid, pattern in reads.items():
            document.add_statements(iam.PolicyStatement(
                sid=sid, principals=[iam.ServicePrincipal("cloudfront.amazonaws.com")], actions=["s3:GetObject"],
                resources=[bucket.arn_for_objects(pattern)],
                conditions={"StringEquals": {"AWS:SourceArn": self.distribution_arn}}))
