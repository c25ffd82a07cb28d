import "./_t.ts";
