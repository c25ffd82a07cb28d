import type { NextConfig } from "next";
// Imported for its side effect: a bad environment fails `next build`
// (root README.md "Configuration").
import "./src/env";

const nextConfig: NextConfig = {
  poweredByHeader: false,
};

export default nextConfig;
