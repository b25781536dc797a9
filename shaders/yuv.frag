// Y'CbCr to RGB for planar 4:2:0 (three textures) or NV12 (Y + interleaved
// CbCr). The matrix and offsets carry both the colour matrix (BT.601/709)
// and the range expansion, computed on the CPU from the frame's tags.
// The prelude defines NV12 and UV_SWIZZLE (rg on ES 3, ra on ES 2), or RGB
// for pictures the feed thread already scaled and converted (one texture).
#ifdef GL_FRAGMENT_PRECISION_HIGH
precision highp float;
#else
precision mediump float;
#endif
varying vec2 v_tex;
uniform sampler2D u_plane0;
uniform sampler2D u_plane1;
uniform sampler2D u_plane2;
uniform mat3 u_matrix;
uniform vec3 u_offset;
// Privacy masks (wall/mask.h): a texture in the picture's own coordinates;
// masked fragments take the mask colour and the picture never shows there.
// u_mask_rect maps texture coordinates onto the whole picture's (an RGB
// texture may hold only part of it).
uniform sampler2D u_mask;
uniform float u_masked;
uniform vec3 u_mask_colour;
uniform vec4 u_mask_rect;

void main()
{
    if (u_masked > 0.5 && texture2D(u_mask, u_mask_rect.xy + v_tex * u_mask_rect.zw).r > 0.5) {
        gl_FragColor = vec4(u_mask_colour, 1.0);
        return;
    }
#ifdef RGB
    gl_FragColor = vec4(texture2D(u_plane0, v_tex).rgb, 1.0);
#else
    float y = texture2D(u_plane0, v_tex).r;
#ifdef NV12
    vec2 cbcr = texture2D(u_plane1, v_tex).UV_SWIZZLE;
#else
    vec2 cbcr = vec2(texture2D(u_plane1, v_tex).r, texture2D(u_plane2, v_tex).r);
#endif
    vec3 rgb = u_matrix * (vec3(y, cbcr) - u_offset);
    gl_FragColor = vec4(clamp(rgb, 0.0, 1.0), 1.0);
#endif
}
