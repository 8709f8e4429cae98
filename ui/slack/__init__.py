"""genbi in Slack: a Bolt app over the same ``Assistant.answer`` as the chat UI."""
