"""Every message the bot shows, rendered from the domain's facts in the reader's language.

One module per kind of message: calls, leads, the roster and settings, costs and
events, reports, and the words of refusals (`bot.views.problems`). Each returns
Block Kit with its plain-text fallback, built with bot.blocks (Slack's limits) and
worded with a bot.i18n.Reader (the catalogs and Babel's formats).
"""
