package dev.clickstream.producer.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The shop the simulated users visit: categories, products with prices, search terms, and the paths of
 * every page, all built once from the seed so that writing an event copies bytes instead of formatting.
 */
public final class Catalog {
    public static final String HOST = "https://shop.example.com";

    static final JsonText HOME_PATH = JsonText.of("/");
    static final JsonText CART_PATH = JsonText.of("/cart");
    static final JsonText CHECKOUT_PATH = JsonText.of("/checkout");
    static final JsonText CONFIRMATION_PATH = JsonText.of("/checkout/complete");

    private static final List<String> CATEGORIES = List.of("electronics", "books", "home-kitchen", "fashion",
            "sports-outdoors", "toys-games", "beauty", "garden", "grocery", "automotive", "music", "office");
    /** Typical price in cents per category, same order as {@link #CATEGORIES}. */
    private static final long[] TYPICAL_PRICE_CENTS = {
        14_900, 1_800, 4_500, 3_900, 5_900, 2_900, 2_400, 3_500, 900, 6_900, 1_500, 2_200};
    private static final List<String> SEARCH_TERMS = List.of("wireless headphones", "running shoes", "coffee maker",
            "usb-c cable", "yoga mat", "gift ideas", "phone case", "lego", "air fryer", "backpack", "desk lamp",
            "water bottle", "sunscreen", "board games", "mechanical keyboard", "garden hose", "winter jacket",
            "protein powder", "kindle", "tent", "office chair", "vinyl records", "car phone holder", "notebook",
            "bluetooth speaker", "socks", "perfume", "dog toys", "monitor 27 inch", "sale");

    private final JsonText[] categoryPaths;
    private final JsonText[] productIds;
    private final JsonText[] productPaths;
    private final int[] productCategory;
    private final long[] productPriceCents;
    private final JsonText[] searchPaths;

    public Catalog(long seed, int products) {
        SplittableRandom random = new SplittableRandom(seed);
        categoryPaths = new JsonText[CATEGORIES.size()];
        for (int c = 0; c < categoryPaths.length; c++) {
            categoryPaths[c] = JsonText.of("/c/" + CATEGORIES.get(c));
        }
        productIds = new JsonText[products];
        productPaths = new JsonText[products];
        productCategory = new int[products];
        productPriceCents = new long[products];
        for (int p = 0; p < products; p++) {
            String sku = String.format("sku-%05d", p + 1);
            productIds[p] = JsonText.of(sku);
            productPaths[p] = JsonText.of("/p/" + sku);
            int category = random.nextInt(CATEGORIES.size());
            productCategory[p] = category;
            // Prices spread around the category's typical price (log-normal), ending in .99 or .49 like shops do.
            double factor = Math.exp(random.nextGaussian() * 0.6);
            long dollars = Math.max(0, Math.round(TYPICAL_PRICE_CENTS[category] * factor / 100.0));
            productPriceCents[p] = dollars * 100 + (random.nextBoolean() ? 99 : 49);
        }
        searchPaths = new JsonText[SEARCH_TERMS.size()];
        for (int s = 0; s < searchPaths.length; s++) {
            searchPaths[s] = JsonText.of("/search?q=" + SEARCH_TERMS.get(s).replace(' ', '+'));
        }
    }

    public int products() {
        return productIds.length;
    }

    /** A product, popular ones far more often than the long tail. */
    int popularProduct(SplittableRandom random) {
        return (int) (productIds.length * Math.pow(random.nextDouble(), 3));
    }

    /** A product of the same category as {@code product}, as "related products" links would show. */
    int relatedProduct(SplittableRandom random, int product) {
        int category = productCategory[product];
        for (int tries = 0; tries < 8; tries++) {
            int candidate = popularProduct(random);
            if (productCategory[candidate] == category && candidate != product) {
                return candidate;
            }
        }
        return popularProduct(random);
    }

    /** A product of category {@code category}. */
    int productIn(SplittableRandom random, int category) {
        for (int tries = 0; tries < 16; tries++) {
            int candidate = popularProduct(random);
            if (productCategory[candidate] == category) {
                return candidate;
            }
        }
        return popularProduct(random);
    }

    int randomCategory(SplittableRandom random) {
        return random.nextInt(categoryPaths.length);
    }

    int categoryOf(int product) {
        return productCategory[product];
    }

    JsonText categoryPath(int category) {
        return categoryPaths[category];
    }

    int randomSearch(SplittableRandom random) {
        return (int) (searchPaths.length * Math.pow(random.nextDouble(), 2));
    }

    JsonText searchPath(int search) {
        return searchPaths[search];
    }

    public JsonText productId(int product) {
        return productIds[product];
    }

    JsonText productPath(int product) {
        return productPaths[product];
    }

    public long priceCents(int product) {
        return productPriceCents[product];
    }
}
