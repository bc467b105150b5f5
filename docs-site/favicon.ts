/** The docs page's icon: inlined in the page by `npm run docs`, and served at /favicon.ico by `npm start`. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#232f3e"/><path d="M8 10h16M8 16h16M8 22h10" stroke="#ff9900" stroke-width="3" stroke-linecap="round"/></svg>';
