"""What every leadcell process shares: settings, logging and the Slack Web API client.

Importing this package never imports the bot's listeners, so the worker and the
command line use it as freely as the bot does.
"""
