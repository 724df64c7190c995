"""Meta Marketing in local mode: credentials, a token check, a paused campaign, the mirror,
insights. Run with your own Meta app and System User token:

    META_ACCESS_TOKEN=EAA... META_APP_ID=... META_APP_SECRET=... META_AD_ACCOUNT=act_... \\
        python examples/meta_marketing.py

Uses a throw-away vault unless ENDPOINTR_VAULT names one. Nothing goes live: the campaign is
created PAUSED and deleted at the end.
"""

import os
import sys

from endpointr import Endpointr, EndpointrError

needed = ("META_ACCESS_TOKEN", "META_APP_ID", "META_APP_SECRET", "META_AD_ACCOUNT")
if missing := [name for name in needed if not os.environ.get(name)]:
    sys.exit(f"set {', '.join(missing)} (see docs/marketing.md, 'Setting up Meta')")
account = os.environ["META_AD_ACCOUNT"]

with Endpointr.local(os.environ.get("ENDPOINTR_VAULT", ":memory:")) as client:
    client.credentials.set(
        "meta-ads",
        access_token=os.environ["META_ACCESS_TOKEN"],
        app_id=os.environ["META_APP_ID"],
        app_secret=os.environ["META_APP_SECRET"],
    )
    report = client.marketing.auth.inspect()
    assert report.debug_token is not None and report.scopes is not None
    print("token:", report.debug_token.type, "never expires:", report.debug_token.never_expires)
    print("granted scopes:", ", ".join(report.scopes.granted))

    accounts = client.marketing.ad_accounts.list()
    print("ad accounts:", [a.id for a in accounts.collection], f"({accounts.source})")

    campaign = client.marketing.campaigns.create(
        account_id=account, name="endpointr example", objective="OUTCOME_TRAFFIC"
    )
    print("created:", campaign.id, campaign.status, campaign.special_ad_categories)

    listing = client.marketing.campaigns.list(account_id=account)
    print("campaigns:", len(listing.collection), f"({listing.source})")
    again = client.marketing.campaigns.list(account_id=account)
    print("again:", len(again.collection), f"({again.source})")  # the local mirror

    paused = client.marketing.campaigns.pause(campaign.id)
    print("status after pause:", paused.status)

    try:
        insights = client.marketing.insights.list(
            level="account", ids=[account], date_preset="last_7d"
        )
        for row in insights.rows:
            print("last 7 days:", row.impressions, "impressions,", row.spend, "spent")
    except EndpointrError as err:
        print("insights:", err)

    client.marketing.campaigns.delete(campaign.id)
    print("deleted:", campaign.id)
