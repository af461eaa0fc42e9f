"""Media bucket, DynamoDB tables (one per PynamoDB model) and the JWT signing-key secret."""

from __future__ import annotations

import json

from aws_cdk import Duration, RemovalPolicy, Stack, Tags
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct
from pynamodb.models import Model

from cdk import nag
from cdk.config import StudioConfig
from cdk.naming import TABLE_TAG, media_bucket_name, table_id, table_name
from cdk.tables import KeyShape, TableShape, table_shape

# The CloudFront behaviour for outputs (edge.py) serves exactly these keys.
FINAL_OUTPUTS_PATTERN = "users/*/final/*"


def removal_policy(config: StudioConfig) -> RemovalPolicy:
    return RemovalPolicy.DESTROY if config.removal == "destroy" else RemovalPolicy.RETAIN


def _attribute(key: KeyShape) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=key.name, type=getattr(dynamodb.AttributeType, key.type))


class StorageStack(Stack):
    """Everything stateful.

    Exposes `bucket`, `tables` (Settings attribute -> Table), `table_shapes` and `jwt_secret`. Their
    names are fixed (cdk/naming.py), so the pipeline stack addresses them by name and ARN rather than
    by cross-stack references: the S3 trigger and the grants then need no export from this stack.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StudioConfig,
        table_models: dict[str, type[Model]],
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.config = config
        removal = removal_policy(config)

        self.access_logs = s3.Bucket(
            self,
            "AccessLogsBucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[s3.LifecycleRule(id="expire-logs", expiration=Duration.days(config.access_log_expiry_days))],
            removal_policy=removal,
            auto_delete_objects=False,
        )
        nag.acknowledge(self.access_logs, "AwsSolutions-S1", "This is the server access log destination; "
                        "logging its own writes would only log the logging.")

        self.bucket = s3.Bucket(
            self,
            "MediaBucket",
            bucket_name=media_bucket_name(config.prefix, self.account, self.region),
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            # No enforce_ssl here: a bucket has one policy, and this bucket's (with the same deny-plain-HTTP
            # statement) is in the bucket-policy stack, which can name the CloudFront distribution.
            # SSE-S3 rather than KMS: CloudFront's origin access control then reads outputs without a key
            # policy that would have to name the distribution (a cross-stack cycle), and there is no
            # per-request KMS cost on every cached artifact read.
            encryption=s3.BucketEncryption.S3_MANAGED,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="s3/media/",
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-cache",
                    # Content-addressed artifacts: an expired one is simply re-rendered when next needed.
                    prefix="cache/",
                    expiration=Duration.days(config.cache_expiry_days),
                    noncurrent_version_expiration=Duration.days(1),
                ),
                s3.LifecycleRule(
                    id="tidy",
                    abort_incomplete_multipart_upload_after=Duration.days(config.abort_multipart_after_days),
                    # Versioning protects against overwrites; old versions should not cost forever.
                    noncurrent_version_expiration=Duration.days(config.noncurrent_version_expiry_days),
                    transitions=[
                        s3.Transition(
                            storage_class=s3.StorageClass.INTELLIGENT_TIERING,
                            transition_after=Duration.days(config.intelligent_tiering_after_days),
                        )
                    ],
                ),
            ],
            cors=cors_rules(config),
            removal_policy=removal,
        )
        nag.acknowledge(self.bucket, "AwsSolutions-S10",
                        "The media bucket's one bucket policy is in the bucket-policy stack (cdk/bucket_policy.py), "
                        "deployed after the edge stack so it can name the distribution; it denies every request "
                        "that is not over TLS (aws:SecureTransport false), the statement enforceSSL writes.")

        self.tables: dict[str, dynamodb.Table] = {}
        self.table_shapes: dict[str, TableShape] = {}
        for settings_attr, model in sorted(table_models.items()):
            self.table_shapes[settings_attr] = table_shape(model)
            self.tables[settings_attr] = self._table(settings_attr, self.table_shapes[settings_attr], removal)

        # The app's key document is {"active_kid", "keys": [...], "cursor_key"}. The stack creates it with no
        # key pair (private keys must never pass through a template) and a cursor key Secrets Manager generates
        # as 64 lowercase hex characters; the api function adds the first key pair on first use.
        self.jwt_secret = secretsmanager.Secret(
            self,
            "JwtSigningKeys",
            secret_name=config.jwt_secret_name,
            description="Film Studio API: RS256 key ring (filled by the api function on first use) and cursor key",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template=json.dumps({"active_kid": "", "keys": []}),
                generate_string_key="cursor_key",
                password_length=64,
                exclude_punctuation=True,
                exclude_uppercase=True,
                exclude_characters="ghijklmnopqrstuvwxyz",
                include_space=False,
                require_each_included_type=False,
            ),
            removal_policy=removal,
        )
        nag.acknowledge(self.jwt_secret, "AwsSolutions-SMG4",
                        "The secret is a key ring the API manages, not a credential: Secrets Manager rotation "
                        "would replace the whole document and drop the keys that live tokens name. It is rotated "
                        "by the rotate_keys function on an EventBridge schedule (jwt_key_rotation_days, default "
                        "30): each run adds a key pair that signs from one key-cache lifetime on, keeps older "
                        "keys for verification and drops a key once its successor has signed for longer than "
                        "the refresh-token lifetime (auth/rotation.py).")

    def _table(self, settings_attr: str, shape: TableShape, removal: RemovalPolicy) -> dynamodb.Table:
        table = dynamodb.Table(
            self,
            table_id(settings_attr),
            table_name=table_name(self.config.prefix, settings_attr),
            partition_key=_attribute(shape.partition_key),
            sort_key=_attribute(shape.sort_key) if shape.sort_key else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            time_to_live_attribute=shape.ttl_attribute,
            removal_policy=removal,
        )
        for index in shape.global_indexes:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_attribute(index.partition_key),
                sort_key=_attribute(index.sort_key) if index.sort_key else None,
                projection_type=getattr(dynamodb.ProjectionType, index.projection),
                non_key_attributes=list(index.non_key_attributes) or None,
            )
        for index in shape.local_indexes:
            table.add_local_secondary_index(
                index_name=index.name,
                sort_key=_attribute(index.sort_key),
                projection_type=getattr(dynamodb.ProjectionType, index.projection),
                non_key_attributes=list(index.non_key_attributes) or None,
            )
        Tags.of(table).add(TABLE_TAG, settings_attr)
        return table


def cors_rules(config: StudioConfig) -> list[s3.CorsRule] | None:
    """Browsers upload with presigned POSTs (and PUTs) straight to the bucket, and read outputs: only from
    the origins the config names (no wildcard: any site could otherwise drive a signed-in user's uploads)."""
    origins = list(config.cors_allowed_origins)
    if "*" in origins:
        raise ValueError("cors_allowed_origins: name the web app's origins (https://...), not '*'")
    if not origins:
        return None
    return [s3.CorsRule(
        allowed_methods=[s3.HttpMethods.POST, s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
        allowed_origins=origins, allowed_headers=["*"], exposed_headers=["ETag"], max_age=3000)]
