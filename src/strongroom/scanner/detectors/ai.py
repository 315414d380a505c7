"""AI and machine-learning platforms."""

from __future__ import annotations

from strongroom.scanner.rule import HEX32, Rule, keyed, token

F = "ai"

RULES: tuple[Rule, ...] = (
    token("openai-api-key", "OpenAI API key", F,
          r"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,74}T3BlbkFJ[A-Za-z0-9_\-]{20,74}",
          keywords=("t3blbkfj",)),
    token("anthropic-api-key", "Anthropic API key", F, r"sk-ant-api03-[a-zA-Z0-9_\-]{93}AA"),
    token("anthropic-admin-key", "Anthropic admin API key", F, r"sk-ant-admin01-[a-zA-Z0-9_\-]{93}AA"),
    token("replicate-api-token", "Replicate API token", F, r"r8_[A-Za-z0-9]{37}", entropy=3.0),
    token("groq-api-key", "Groq API key", F, r"gsk_[A-Za-z0-9]{52}"),
    token("perplexity-api-key", "Perplexity API key", F, r"pplx-[A-Za-z0-9]{48}"),
    token("xai-api-key", "xAI API key", F, r"xai-[A-Za-z0-9]{80}"),
    token("langsmith-api-key", "LangSmith API key", F, r"lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}",
          keywords=("lsv2_",)),
    keyed("cohere-api-key", "Cohere API key", F, ("cohere", "co_api_key"), r"[a-zA-Z0-9]{40}"),
    keyed("mistral-api-key", "Mistral AI API key", F, ("mistral",), r"[a-zA-Z0-9]{32}"),
    keyed("deepseek-api-key", "DeepSeek API key", F, ("deepseek",), r"sk-" + HEX32),
    keyed("together-api-key", "Together AI API key", F, ("together",), r"[a-f0-9]{64}"),
    keyed("pinecone-api-key", "Pinecone API key", F, ("pinecone",), r"pcsk_[A-Za-z0-9]{5,6}_[A-Za-z0-9]{60,70}"),
    keyed("weights-and-biases-api-key", "Weights & Biases API key", F, ("wandb",), r"[a-f0-9]{40}"),
    keyed("elevenlabs-api-key", "ElevenLabs API key", F, ("elevenlabs", "xi_api_key"), r"sk_[a-f0-9]{48}"),
    keyed("assemblyai-api-key", "AssemblyAI API key", F, ("assemblyai",), HEX32),
    keyed("google-gemini-api-key", "Google AI Studio (Gemini) API key", F, ("gemini",), r"AIza[0-9A-Za-z_\-]{35}"),
    token("openrouter-api-key", "OpenRouter API key", F, r"sk-or-v1-[a-f0-9]{64}"),
)
