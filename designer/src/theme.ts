/** The product's Ant Design theme, shared by the staff apps and the portal. */

/** Ant Design's greys and lighter hues fall short of WCAG AA contrast (4.5:1) for text: darkened to pass. */
export const THEME = {
  token: {
    colorPrimary: '#0958d9',
    // antd lightens these from colorPrimary: white text on the lighter blue was 4.16:1
    colorPrimaryHover: '#003eb3',
    colorPrimaryActive: '#002c8c',
    colorInfo: '#0958d9',
    colorLink: '#0958d9',
    colorLinkHover: '#003eb3',
    colorError: '#cf1322',
    colorSuccess: '#237804',
    colorWarning: '#ad4e00',
    borderRadius: 6,
    colorTextPlaceholder: '#666666',
    colorTextTertiary: '#666666',
    colorTextQuaternary: '#666666',
    colorTextDescription: '#666666',
  },
};
