package dev.clickstream.producer.generate;

import java.util.SplittableRandom;

/**
 * One visit of one user: where they are, what is in their cart, and what they do next. Each call to
 * {@link #emit} performs the planned step, fills the event, then plans the following step and when it
 * happens, so the time on a page ({@code duration_ms}) is the real gap to the user's next event.
 *
 * <p>The steps follow a shop's funnel: browsing (page views, clicks, searches) leads to some add-to-carts,
 * a cart page view to some checkouts, a checkout to some purchases; each stage loses visitors, so the
 * counts narrow from page_view to purchase as in real traffic.
 */
final class Session {
    private enum Step {
        LAND, CLICK, SEARCH, VIEW_HOME, VIEW_CATEGORY, VIEW_PRODUCT, VIEW_CART, ADD_TO_CART, CHECKOUT, PURCHASE, LEAVE
    }

    /** Where visitors come from; "" is direct traffic (no referrer). */
    private static final Weighted<JsonText> REFERRERS = Weighted.<JsonText>builder()
            .add(36, JsonText.of("https://www.google.com/"))
            .add(24, JsonText.of(""))
            .add(8, JsonText.of("https://www.facebook.com/"))
            .add(6, JsonText.of("https://www.instagram.com/"))
            .add(4, JsonText.of("https://www.bing.com/"))
            .add(4, JsonText.of("https://www.youtube.com/"))
            .add(4, JsonText.of("https://www.tiktok.com/"))
            .add(3, JsonText.of("https://t.co/"))
            .add(3, JsonText.of("https://www.reddit.com/"))
            .add(3, JsonText.of("android-app://com.google.android.gm/"))
            .add(2, JsonText.of("https://duckduckgo.com/"))
            .add(3, JsonText.of("https://news.example.org/best-deals-this-week"))
            .build();

    // Funnel probabilities, per step.
    private static final double BOUNCE = 0.30;
    private static final double LEAVE_WHILE_BROWSING = 0.11;
    private static final double ADD_TO_CART_ON_PRODUCT_PAGE = 0.12;
    private static final double CLICK = 0.22;
    private static final double SEARCH = 0.10;
    private static final double VIEW_CART_WHILE_BROWSING = 0.04;
    private static final double VIEW_CART_AFTER_ADDING = 0.40;
    private static final double CHECKOUT_FROM_CART = 0.55;
    private static final double LEAVE_CART = 0.15;
    private static final double PURCHASE_AFTER_CHECKOUT = 0.62;
    private static final double ABANDON_CHECKOUT = 0.23;
    private static final double LEAVE_AFTER_PURCHASE = 0.70;

    final UserProfile user;
    final long id;
    long nextMicros;
    private int seq;
    private Step next = Step.LAND;
    private Page page;
    private JsonText path;
    private JsonText externalReferrer;
    private JsonText referrerPath;
    private int product = -1;
    private int category = -1;
    private long cartCents;

    Session(UserProfile user, long id, long firstEventMicros) {
        this.user = user;
        this.id = id;
        this.nextMicros = firstEventMicros;
    }

    boolean over() {
        return next == Step.LEAVE;
    }

    /** Writes the planned step into {@code d} and plans the next one, {@code meanThinkMicros} on average later. */
    void emit(EventDraft d, SplittableRandom random, Catalog catalog, double meanThinkMicros) {
        JsonText productId = null;
        long price = -1;
        EventType type;
        switch (next) {
            case LAND -> {
                type = EventType.PAGE_VIEW;
                land(random, catalog);
                productId = page == Page.PRODUCT ? catalog.productId(product) : null;
            }
            case CLICK -> {
                type = EventType.CLICK;
                productId = page == Page.PRODUCT ? catalog.productId(product) : null;
            }
            case SEARCH -> {
                type = EventType.SEARCH;
                navigate(Page.SEARCH, catalog.searchPath(catalog.randomSearch(random)));
            }
            case VIEW_HOME -> {
                type = EventType.PAGE_VIEW;
                navigate(Page.HOME, Catalog.HOME_PATH);
            }
            case VIEW_CATEGORY -> {
                type = EventType.PAGE_VIEW;
                category = product >= 0 && random.nextBoolean() ? catalog.categoryOf(product)
                        : catalog.randomCategory(random);
                navigate(Page.CATEGORY, catalog.categoryPath(category));
            }
            case VIEW_PRODUCT -> {
                type = EventType.PAGE_VIEW;
                product = page == Page.PRODUCT ? catalog.relatedProduct(random, product)
                        : page == Page.CATEGORY ? catalog.productIn(random, category)
                        : catalog.popularProduct(random);
                navigate(Page.PRODUCT, catalog.productPath(product));
                productId = catalog.productId(product);
            }
            case VIEW_CART -> {
                type = EventType.PAGE_VIEW;
                navigate(Page.CART, Catalog.CART_PATH);
            }
            case ADD_TO_CART -> {
                type = EventType.ADD_TO_CART;
                productId = catalog.productId(product);
                price = catalog.priceCents(product);
                cartCents += price;
            }
            case CHECKOUT -> {
                type = EventType.CHECKOUT;
                navigate(Page.CHECKOUT, Catalog.CHECKOUT_PATH);
                price = cartCents;
            }
            case PURCHASE -> {
                type = EventType.PURCHASE;
                navigate(Page.ORDER_CONFIRMATION, Catalog.CONFIRMATION_PATH);
                price = cartCents;
                cartCents = 0;
            }
            default -> throw new IllegalStateException("session " + id + " is over");
        }
        long gapMicros = thinkTime(random, type, meanThinkMicros);
        d.userTsMicros = nextMicros;
        d.type = type;
        d.user = user;
        d.sessionId = id;
        d.sessionSeq = ++seq;
        d.page = page;
        d.path = path;
        d.externalReferrer = externalReferrer;
        d.referrerPath = referrerPath;
        d.productId = productId;
        d.priceCents = price;
        d.durationMs = gapMicros / 1000;
        next = plan(random, type);
        nextMicros += gapMicros;
    }

    private void land(SplittableRandom random, Catalog catalog) {
        externalReferrer = REFERRERS.pick(random);
        referrerPath = null;
        double r = random.nextDouble();
        if (r < 0.40) {
            page = Page.HOME;
            path = Catalog.HOME_PATH;
        } else if (r < 0.65) {
            category = catalog.randomCategory(random);
            page = Page.CATEGORY;
            path = catalog.categoryPath(category);
        } else if (r < 0.90) {
            product = catalog.popularProduct(random);
            page = Page.PRODUCT;
            path = catalog.productPath(product);
        } else {
            page = Page.SEARCH;
            path = catalog.searchPath(catalog.randomSearch(random));
        }
    }

    private void navigate(Page to, JsonText toPath) {
        referrerPath = path;
        externalReferrer = null;
        page = to;
        path = toPath;
    }

    private Step plan(SplittableRandom random, EventType done) {
        double r = random.nextDouble();
        switch (done) {
            case PURCHASE:
                return r < LEAVE_AFTER_PURCHASE ? Step.LEAVE : r < 0.85 ? Step.VIEW_HOME : Step.VIEW_PRODUCT;
            case CHECKOUT:
                return r < PURCHASE_AFTER_CHECKOUT ? Step.PURCHASE
                        : r < PURCHASE_AFTER_CHECKOUT + ABANDON_CHECKOUT ? Step.LEAVE : Step.VIEW_CART;
            case ADD_TO_CART:
                return r < VIEW_CART_AFTER_ADDING ? Step.VIEW_CART : browse(random.nextDouble());
            case PAGE_VIEW:
                if (seq == 1 && r < BOUNCE) {
                    return Step.LEAVE;
                }
                if (page == Page.CART) {
                    return cartCents == 0 ? browse(random.nextDouble())
                            : r < CHECKOUT_FROM_CART ? Step.CHECKOUT
                            : r < CHECKOUT_FROM_CART + LEAVE_CART ? Step.LEAVE : browse(random.nextDouble());
                }
                return browse(random.nextDouble());
            default:
                return browse(r);
        }
    }

    /** The next step of someone looking around the shop; {@code r} is uniform in [0, 1). */
    private Step browse(double r) {
        if ((r -= LEAVE_WHILE_BROWSING) < 0) {
            return Step.LEAVE;
        }
        if (page == Page.PRODUCT && (r -= ADD_TO_CART_ON_PRODUCT_PAGE) < 0) {
            return Step.ADD_TO_CART;
        }
        if ((r -= CLICK) < 0) {
            return Step.CLICK;
        }
        if ((r -= SEARCH) < 0) {
            return Step.SEARCH;
        }
        if (cartCents > 0 && page != Page.CART && (r -= VIEW_CART_WHILE_BROWSING) < 0) {
            return Step.VIEW_CART;
        }
        // What is left of r, rescaled to [0, 1), picks where the user navigates from this page.
        double left = 1 - LEAVE_WHILE_BROWSING - (page == Page.PRODUCT ? ADD_TO_CART_ON_PRODUCT_PAGE : 0) - CLICK
                - SEARCH - (cartCents > 0 && page != Page.CART ? VIEW_CART_WHILE_BROWSING : 0);
        double n = r / left;
        return switch (page) {
            case CATEGORY -> n < 0.75 ? Step.VIEW_PRODUCT : n < 0.90 ? Step.VIEW_CATEGORY : Step.VIEW_HOME;
            case SEARCH -> n < 0.85 ? Step.VIEW_PRODUCT : n < 0.95 ? Step.VIEW_CATEGORY : Step.VIEW_HOME;
            case PRODUCT -> n < 0.55 ? Step.VIEW_PRODUCT : n < 0.85 ? Step.VIEW_CATEGORY : Step.VIEW_HOME;
            case CART -> n < 0.60 ? Step.VIEW_PRODUCT : Step.VIEW_HOME;
            default -> n < 0.55 ? Step.VIEW_CATEGORY : Step.VIEW_PRODUCT;
        };
    }

    /** How long until the next event: exponential, shorter after a click, longer while filling in a checkout. */
    private static long thinkTime(SplittableRandom random, EventType type, double meanMicros) {
        double factor = switch (type) {
            case CLICK -> 0.5;
            case ADD_TO_CART -> 0.6;
            case CHECKOUT -> 2.0;
            default -> 1.0;
        };
        double mean = meanMicros * factor;
        double gap = -Math.log(1 - random.nextDouble()) * mean;
        return Math.max(100_000, (long) Math.min(gap, 30 * mean));
    }
}
