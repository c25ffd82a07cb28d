// Tailwind CSS v4 through PostCSS: the output is one stylesheet Next.js links from every page (the
// Content-Security-Policy allows 'self' stylesheets, never inline styles; src/proxy.ts).
const config = { plugins: { "@tailwindcss/postcss": {} } };
export default config;
