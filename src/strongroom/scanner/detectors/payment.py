"""Payments and commerce."""

from __future__ import annotations

from strongroom.scanner.rule import HEX32, UUID, Rule, keyed, token

F = "payment"

RULES: tuple[Rule, ...] = (
    token("stripe-secret-key", "Stripe secret key", F, r"sk_(?:live|test)_[A-Za-z0-9]{24,99}",
          keywords=("sk_live_", "sk_test_"), entropy=3.0),
    token("stripe-restricted-key", "Stripe restricted key", F, r"rk_(?:live|test)_[A-Za-z0-9]{24,99}",
          keywords=("rk_live_", "rk_test_"), entropy=3.0),
    token("stripe-webhook-secret", "Stripe webhook signing secret", F, r"whsec_[A-Za-z0-9]{32}"),
    token("square-access-token", "Square access token", F, r"EAAA[A-Za-z0-9_\-]{60}", entropy=4.0),
    token("square-legacy-access-token", "Square legacy access token", F, r"sq0atp-[A-Za-z0-9_\-]{22}"),
    token("square-oauth-secret", "Square OAuth secret", F, r"sq0csp-[0-9A-Za-z_\-]{43}"),
    token("braintree-access-token", "Braintree/PayPal access token", F,
          r"access_token\$production\$[a-z0-9]{16}\$" + HEX32, keywords=("access_token$production",)),
    keyed("paypal-client-secret", "PayPal client secret", F, ("paypal",), r"E[A-Za-z0-9_\-]{79}"),
    token("shopify-access-token", "Shopify access token", F, r"shpat_[a-fA-F0-9]{32}"),
    token("shopify-custom-app-token", "Shopify custom app access token", F, r"shpca_[a-fA-F0-9]{32}"),
    token("shopify-private-app-token", "Shopify private app password", F, r"shppa_[a-fA-F0-9]{32}"),
    token("shopify-shared-secret", "Shopify shared secret", F, r"shpss_[a-fA-F0-9]{32}"),
    token("flutterwave-secret-key", "Flutterwave secret key", F, r"FLWSECK(?:_TEST)?-[a-h0-9]{32}-X",
          keywords=("flwseck",)),
    token("flutterwave-encryption-key", "Flutterwave encryption key", F, r"FLWSECK(?:_TEST)?[a-h0-9]{12}",
          keywords=("flwseck",)),
    token("razorpay-key", "Razorpay API key ID", F, r"rzp_(?:live|test)_[A-Za-z0-9]{14}", keywords=("rzp_",)),
    keyed("razorpay-secret", "Razorpay API key secret", F, ("razorpay",), r"[A-Za-z0-9]{24}"),
    token("plaid-access-token", "Plaid access token", F, r"access-(?:sandbox|development|production)-" + UUID,
          keywords=("access-sandbox", "access-development", "access-production")),
    keyed("plaid-secret", "Plaid API secret", F, ("plaid",), r"[a-f0-9]{30}"),
    keyed("gocardless-api-token", "GoCardless access token", F, ("gocardless",), r"live_[a-zA-Z0-9_=\-]{40}"),
    token("duffel-api-token", "Duffel API token", F, r"duffel_(?:test|live)_[A-Za-z0-9_=\-]{43}",
          keywords=("duffel_",)),
    token("easypost-api-token", "EasyPost API key", F, r"EZ[AT]K[a-zA-Z0-9]{54}", keywords=("ezak", "eztk")),
    keyed("adyen-api-key", "Adyen API key", F, ("adyen",), r"AQE[a-zA-Z0-9_\-]{80,120}"),
    keyed("coinbase-access-token", "Coinbase access token", F, ("coinbase",), r"[A-Za-z0-9_\-]{64}"),
    keyed("mollie-api-key", "Mollie API key", F, ("mollie",), r"live_[A-Za-z0-9]{30}"),
    keyed("paystack-secret-key", "Paystack secret key", F, ("paystack",), r"sk_live_[a-f0-9]{40}"),
    keyed("checkout-secret-key", "Checkout.com secret key", F, ("checkout",),
          r"sk_(?:sbox_)?[a-z0-9]{26}"),
    keyed("lemonsqueezy-api-key", "Lemon Squeezy API key", F, ("lemonsqueezy", "lemon_squeezy"),
          r"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9\.[A-Za-z0-9_\-]{100,900}\.[A-Za-z0-9_\-]{100,700}"),
    keyed("kraken-access-token", "Kraken API secret", F, ("kraken",), r"[A-Za-z0-9/+=]{80,90}"),
    keyed("bitfinex-api-secret", "Bitfinex API secret", F, ("bitfinex",), r"[A-Za-z0-9]{43}"),
)
