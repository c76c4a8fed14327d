"""Local HTTP servers that speak each model provider's real wire protocol, with faults on command.

Tests and benchmarks drive the real SDK clients (openai, groq, botocore) against these over real
HTTP on 127.0.0.1.
"""

from tests.protocol_servers.base import Fault, ProtocolServer, Received, Reply
from tests.protocol_servers.bedrock import BedrockServer
from tests.protocol_servers.openai import GroqServer, OpenAIServer

__all__ = ["BedrockServer", "Fault", "GroqServer", "OpenAIServer", "ProtocolServer", "Received", "Reply"]
