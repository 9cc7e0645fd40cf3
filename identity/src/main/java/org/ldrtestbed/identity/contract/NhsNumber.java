package org.ldrtestbed.identity.contract;

/** NHS number checks: ten digits with a valid Modulus 11 check digit. */
public final class NhsNumber {

    public static final String SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";

    private NhsNumber() {}

    public static boolean isValid(String candidate) {
        if (candidate == null || !candidate.matches("\\d{10}")) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (candidate.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        return check != 10 && check == candidate.charAt(9) - '0';
    }

    /**
     * The valid number in the synthetic test range (999 000 000 0 to 999 999 999 9) that follows {@code seed}: used to
     * give synthetic patients numbers that can never belong to a real person.
     */
    public static String syntheticFrom(long seed) {
        long base = 999_000_000L + Math.floorMod(seed, 999_999L);
        for (long n = base; ; n = n >= 999_999_999L ? 999_000_000L : n + 1) {
            String nine = Long.toString(n);
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (nine.charAt(i) - '0') * (10 - i);
            }
            int check = (11 - (sum % 11)) % 11;
            if (check != 10) {
                return nine + check;
            }
        }
    }
}
