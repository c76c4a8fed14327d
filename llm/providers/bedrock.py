"""AWS Bedrock (Claude, Titan, …) through ``ChatBedrockConverse``; credentials from the AWS chain."""

from __future__ import annotations

from collections.abc import Mapping

from langchain_core.caches import BaseCache
from langchain_core.language_models import BaseChatModel

from llm.settings import ChainSettings, ModelSpec


def region(spec: ModelSpec, env: Mapping[str, str]) -> str:
    """Return the entry's region, else ``AWS_REGION`` / ``AWS_DEFAULT_REGION``, else us-east-1."""
    return spec.region or env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"


def api_keys(spec: ModelSpec, env: Mapping[str, str]) -> list[str] | None:
    """Return ``[]``: boto3 resolves credentials itself (env, profile, role), one "key" slot."""
    return []


def build(spec: ModelSpec, settings: ChainSettings, key: str | None,
          env: Mapping[str, str], cache: BaseCache | None) -> BaseChatModel:
    """Return a ``ChatBedrockConverse``; botocore's retries are off and its timeouts are ours."""
    from botocore.config import Config
    from langchain_aws import ChatBedrockConverse

    timeout = spec.timeout or settings.timeout
    credentials = {}
    if env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        credentials = {"aws_access_key_id": env["AWS_ACCESS_KEY_ID"],
                       "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"]}
        if env.get("AWS_SESSION_TOKEN"):
            credentials["aws_session_token"] = env["AWS_SESSION_TOKEN"]
    return ChatBedrockConverse(
        model=spec.model,
        region_name=region(spec, env),
        endpoint_url=spec.base_url or env.get("BEDROCK_ENDPOINT_URL") or None,
        config=Config(connect_timeout=timeout, read_timeout=timeout,
                      retries={"total_max_attempts": 1, "mode": "standard"}),
        temperature=spec.temperature,
        max_tokens=spec.max_tokens,
        cache=cache,
        **credentials,
    )
