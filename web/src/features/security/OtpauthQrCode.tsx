import { renderSVG } from 'uqr';

/** The otpauth:// URI as a QR code for authenticator apps (an image: the CSP allows data: images). */
export function OtpauthQrCode({ uri, label }: { uri: string; label: string }) {
  const source = `data:image/svg+xml;utf8,${encodeURIComponent(renderSVG(uri, { border: 2 }))}`;
  return <img src={source} alt={label} width={180} height={180} style={{ imageRendering: 'pixelated' }} />;
}
