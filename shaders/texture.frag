// An RGBA texture (rendered text) with an overall opacity.
precision mediump float;
varying vec2 v_tex;
uniform sampler2D u_plane0;
uniform float u_alpha;

void main()
{
    vec4 c = texture2D(u_plane0, v_tex);
    gl_FragColor = vec4(c.rgb, c.a * u_alpha);
}
